using System.Globalization;

namespace Estafeta.MailAuth.Dmarc;

public enum DmarcRecordIssueKind
{
    /// <summary>The record text does not follow the tag=value grammar here; the rest of the tag is skipped.</summary>
    Syntax,
    /// <summary>A known tag with a value it cannot have; its default applies.</summary>
    InvalidValue,
    /// <summary>A tag RFC 9989 does not define; ignored as the RFC requires.</summary>
    UnknownTag,
    /// <summary>A tag given twice; the first one counts.</summary>
    DuplicateTag,
    /// <summary>An RFC 7489 tag (pct, rf, ri) that RFC 9989 removed; receivers following RFC 9989 ignore it.</summary>
    ObsoleteTag,
}

/// <summary>Something wrong or noteworthy in a DMARC record that does not stop it from being used.
/// <see cref="Position"/> is the 0-based offset of the tag (or character) in the record text.</summary>
public sealed record DmarcRecordIssue(DmarcRecordIssueKind Kind, int Position, string? Tag, string Message)
{
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"at offset {Position}{(Tag is null ? "" : $" ({Tag}=)")}: {Message}");
}

/// <summary>Why a text is not a usable DMARC record.</summary>
public sealed record DmarcRecordError(int Position, string Message)
{
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"at offset {Position}: {Message}");
}
