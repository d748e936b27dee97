using Estafeta.Imap.Store;

namespace Estafeta.Imap.Grammar;

/// <summary>A SEARCH key (RFC 9051 §6.4.4), as a tree.</summary>
internal abstract record SearchKey
{
    /// <summary>True when evaluating it needs the message content (headers or body).</summary>
    public virtual bool NeedsContent => false;
}

internal sealed record AllKey : SearchKey;

internal sealed record FlagKey(MessageFlags Flag, bool Set) : SearchKey;

/// <summary>RECENT: the message is \Recent for this session (NEW is RECENT UNSEEN, OLD is NOT RECENT).</summary>
internal sealed record RecentKey : SearchKey;

internal sealed record KeywordKey(string Keyword, bool Set) : SearchKey;

internal sealed record SequenceKey(SequenceSet Set, bool Uid) : SearchKey;

internal sealed record NotKey(SearchKey Key) : SearchKey
{
    public override bool NeedsContent => Key.NeedsContent;
}

internal sealed record OrKey(SearchKey Left, SearchKey Right) : SearchKey
{
    public override bool NeedsContent => Left.NeedsContent || Right.NeedsContent;
}

internal sealed record AndKey(IReadOnlyList<SearchKey> Keys) : SearchKey
{
    public override bool NeedsContent => Keys.Any(k => k.NeedsContent);
}

internal enum DateComparison { Before, On, Since }

/// <summary>BEFORE/ON/SINCE (internal date) and SENTBEFORE/SENTON/SENTSINCE (Date header).</summary>
internal sealed record DateKey(DateComparison Comparison, DateOnly Date, bool Sent) : SearchKey
{
    public override bool NeedsContent => Sent;
}

/// <summary>OLDER / YOUNGER (RFC 5032 WITHIN): internal date compared with now.</summary>
internal sealed record AgeKey(long Seconds, bool Older) : SearchKey;

internal sealed record SizeKey(long Size, bool Larger) : SearchKey;

/// <summary>HEADER field value, and FROM/TO/CC/BCC/SUBJECT.</summary>
internal sealed record HeaderKey(string Field, string Value) : SearchKey
{
    public override bool NeedsContent => true;
}

/// <summary>BODY (text of the body) or TEXT (header and body).</summary>
internal sealed record TextKey(string Value, bool IncludeHeader) : SearchKey
{
    public override bool NeedsContent => true;
}

internal sealed record ModSeqKey(long ModSeq) : SearchKey;
