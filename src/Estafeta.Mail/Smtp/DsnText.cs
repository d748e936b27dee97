using Estafeta.Smtp;

namespace Estafeta.Mail.Smtp;

/// <summary>The RFC 3461 parameters as kept in the outbound queue, in their wire spelling, for the MTA's DSNs.</summary>
public static class DsnText
{
    public static string? Ret(DsnReturn? ret) => ret switch
    {
        DsnReturn.Full => "FULL",
        DsnReturn.Headers => "HDRS",
        _ => null,
    };

    public static string? Notify(DsnNotify? notify)
    {
        if (notify is not { } n) return null;
        if (n.HasFlag(DsnNotify.Never)) return "NEVER";
        var parts = new List<string>(3);
        if (n.HasFlag(DsnNotify.Success)) parts.Add("SUCCESS");
        if (n.HasFlag(DsnNotify.Failure)) parts.Add("FAILURE");
        if (n.HasFlag(DsnNotify.Delay)) parts.Add("DELAY");
        return string.Join(',', parts);
    }

    public static string? Orcpt(OriginalRecipient? orcpt) => orcpt is null ? null : $"{orcpt.AddressType};{orcpt.Address}";
}
