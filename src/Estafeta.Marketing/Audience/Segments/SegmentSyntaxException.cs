using Estafeta.Storage;

namespace Estafeta.Marketing.Audience;

/// <summary>A segment expression that cannot be understood; <see cref="Position"/> is the 0-based character where the problem is.</summary>
public sealed class SegmentSyntaxException(string problem, int position, string expression)
    : StorageException($"segment expression, at character {position + 1}: {problem}")
{
    public string Problem { get; } = problem;

    public int Position { get; } = position;

    public string Expression { get; } = expression;

    /// <summary>The expression with a caret under the problem, for terminals.</summary>
    public string Pointer => Expression + "\n" + new string(' ', Math.Min(Position, Expression.Length)) + "^ " + Problem;
}
