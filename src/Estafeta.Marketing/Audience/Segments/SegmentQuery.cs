using Dapper;

namespace Estafeta.Marketing.Audience;

/// <summary>
/// A compiled segment: a SQL condition over the contacts table aliased <c>c</c>, the SQL that counts the contacts it
/// selects (which need not read <c>contacts</c> at all), and the parameters of both.
/// Every literal of the expression is a parameter; the SQL text only holds column names and operators.
/// <see cref="Warnings"/> tells of what compiles but is likely a mistake (a campaign no event names).
/// </summary>
public sealed record SegmentQuery(string Expression, string Where, string CountSql, DynamicParameters Parameters)
{
    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>The campaigns the expression's event conditions name.</summary>
    internal IReadOnlyList<string> Campaigns { get; init; } = [];
}
