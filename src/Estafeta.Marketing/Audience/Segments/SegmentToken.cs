namespace Estafeta.Marketing.Audience;

internal enum SegmentTokenKind
{
    Identifier,
    String,
    Number,
    Date,
    Duration,
    Operator,
    LeftParen,
    RightParen,
    Comma,
    Colon,
    End,
}

/// <summary>One token of a segment expression. <see cref="Value"/>: text for identifiers, strings and operators;
/// double for numbers; UTC midnight for dates; a TimeSpan for durations.</summary>
internal sealed record SegmentToken(SegmentTokenKind Kind, string Text, object? Value, int Position);
