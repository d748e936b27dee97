namespace Estafeta.Marketing.Audience;

/// <summary>The syntax tree of a segment expression. Every node keeps the position it starts at, for error messages.</summary>
internal abstract record SegmentNode(int Position);

internal sealed record AndNode(SegmentNode Left, SegmentNode Right, int Position) : SegmentNode(Position);

internal sealed record OrNode(SegmentNode Left, SegmentNode Right, int Position) : SegmentNode(Position);

internal sealed record NotNode(SegmentNode Inner, int Position) : SegmentNode(Position);

/// <summary><c>field op value</c>; op is one of = != &lt; &lt;= &gt; &gt;= contains.</summary>
internal sealed record CompareNode(string Field, string Operator, SegmentValue Value, int Position) : SegmentNode(Position);

/// <summary><c>field in (v1, v2, ...)</c>.</summary>
internal sealed record InNode(string Field, IReadOnlyList<SegmentValue> Values, int Position) : SegmentNode(Position);

/// <summary><c>exists(field)</c>, or a boolean field on its own (<c>vip</c> means <c>vip = true</c>) when <see cref="AsTruth"/>.</summary>
internal sealed record FieldNode(string Field, bool AsTruth, int Position) : SegmentNode(Position);

internal sealed record TagNode(string Tag, int Position) : SegmentNode(Position);

internal sealed record ListNode(string List, string Status, int Position) : SegmentNode(Position);

/// <summary>An engagement predicate: at least one event, or a count compared with <see cref="CountOperator"/>.</summary>
internal sealed record EventNode(
    EngagementKind Kind,
    TimeSpan? Within,
    SegmentValue? Since,
    SegmentValue? Before,
    string? Campaign,
    string CountOperator,
    double Count,
    int Position) : SegmentNode(Position);

/// <summary>A literal, or now()/today() or a date, plus an offset (date arithmetic).</summary>
internal sealed record SegmentValue(SegmentValueKind Kind, object? Literal, TimeSpan Offset, int Position);

internal enum SegmentValueKind
{
    String,
    Number,
    Boolean,
    Date,
    Now,
    Today,
}
