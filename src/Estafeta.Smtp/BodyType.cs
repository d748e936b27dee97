namespace Estafeta.Smtp;

/// <summary>The MAIL BODY= parameter (RFC 6152). BINARYMIME is not offered (it needs CHUNKING).</summary>
public enum BodyType { SevenBit, EightBitMime }
