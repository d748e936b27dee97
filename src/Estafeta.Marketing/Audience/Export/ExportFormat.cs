namespace Estafeta.Marketing.Audience;

public enum ExportFormat
{
    Csv,
    JsonLines,
}
