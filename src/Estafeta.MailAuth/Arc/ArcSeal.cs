namespace Estafeta.MailAuth.Arc;

/// <summary>The three fields of a new ARC set, ready to put on top of the message in this order
/// (ARC-Seal, ARC-Message-Signature, ARC-Authentication-Results; each ends in CRLF).</summary>
public sealed record ArcSeal(int Instance, ArcStatus ChainValidation, string Seal, string MessageSignature, string AuthenticationResults)
{
    /// <summary>The three fields as one block to prepend.</summary>
    public string Fields => Seal + MessageSignature + AuthenticationResults;
}
