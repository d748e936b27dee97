namespace Estafeta.Smtp;

/// <summary>The MAIL RET= parameter (RFC 3461 §4.3): what a delivery status notification should carry.</summary>
public enum DsnReturn { Full, Headers }
