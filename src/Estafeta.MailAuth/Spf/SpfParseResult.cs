namespace Estafeta.MailAuth.Spf;

/// <summary>Either a record or the first syntax error found in it.</summary>
public sealed record SpfParseResult(SpfRecord? Record, SpfSyntaxError? Error)
{
    public bool IsValid => Record is not null;
}
