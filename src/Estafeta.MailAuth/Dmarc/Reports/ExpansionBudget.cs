namespace Estafeta.MailAuth.Dmarc.Reports;

/// <summary>What all the decompression of one report may still produce, together. A report may come gzipped in a zip
/// attached to a mail; with a limit per layer, each layer of a hostile report could expand to the limit while the layers
/// around it are still held, so the memory one report could take grew with the nesting. One budget for every layer
/// bounds it by the limit.</summary>
internal sealed class ExpansionBudget(long limit)
{
    public long Limit { get; } = limit;

    public long Remaining { get; private set; } = limit;

    /// <summary>Whether any layer has been decompressed yet (the refusal then speaks of the layers together).</summary>
    public bool Spent => Remaining < Limit;

    public void Spend(long bytes) => Remaining -= bytes;

    /// <summary>Why more than the budget cannot be read.</summary>
    public string Exceeded => Spent
        ? $"the report expands to more than {Limit} bytes with the archives it is nested in"
        : $"the report expands to more than {Limit} bytes";
}
