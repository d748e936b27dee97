using Dapper;

namespace Estafeta.Marketing.Audience;

/// <summary>
/// A compiled segment: a SQL condition over the contacts table aliased <c>c</c>, and its parameters.
/// Every literal of the expression is a parameter; the SQL text only holds column names and operators.
/// </summary>
public sealed record SegmentQuery(string Expression, string Where, DynamicParameters Parameters)
{
    /// <summary>The SQL that counts the contacts of the segment.</summary>
    public string CountSql => $"SELECT COUNT(*) FROM contacts c WHERE {Where}";
}
