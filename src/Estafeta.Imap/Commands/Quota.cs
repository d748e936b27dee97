using Estafeta.Imap.Session;
using Estafeta.Imap.Store;

namespace Estafeta.Imap.Commands;

/// <summary>The one quota root "" of a user (RFC 9208), in STORAGE units of 1024 octets.</summary>
internal static class Quota
{
    public static void WriteQuota(SessionContext context, QuotaUsage usage)
    {
        var used = (usage.UsedBytes + 1023) / 1024;
        context.Writer.Raw("* QUOTA \"\" (STORAGE ").Number(used).Sp().Number(usage.LimitBytes!.Value / 1024).Raw(")\r\n");
    }
}
