using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Xml;

namespace Estafeta.MailAuth.Dmarc.Reports;

/// <summary>Writes RFC 9990 aggregate report XML (namespace urn:ietf:params:xml:ns:dmarc-2.0, in the
/// element order of its schema) and its gzip form, and names the file as RFC 9990 §3.1 asks.</summary>
public static class AggregateReportWriter
{
    public const string Namespace = "urn:ietf:params:xml:ns:dmarc-2.0";

    public static byte[] ToXml(AggregateReport report)
    {
        using var buffer = new MemoryStream();
        var settings = new XmlWriterSettings { Encoding = new UTF8Encoding(false), Indent = true, IndentChars = "  ", NewLineChars = "\n" };
        using (var xml = XmlWriter.Create(buffer, settings))
        {
            xml.WriteStartDocument();
            xml.WriteStartElement("feedback", Namespace);
            Element(xml, "version", report.Version ?? "1.0");
            WriteMetadata(xml, report.Metadata);
            WritePolicy(xml, report.Policy);
            foreach (var record in report.Records) WriteRecord(xml, record);
            xml.WriteEndElement();
            xml.WriteEndDocument();
        }
        return buffer.ToArray();
    }

    public static byte[] ToGzip(AggregateReport report)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Optimal, leaveOpen: true)) gzip.Write(ToXml(report));
        return buffer.ToArray();
    }

    /// <summary><c>receiver!policy-domain!begin!end[!unique-id].xml.gz</c> (RFC 9990 §3.1).</summary>
    public static string FileName(AggregateReport report, string receiverDomain, bool gzip = true)
    {
        var name = string.Create(CultureInfo.InvariantCulture,
            $"{receiverDomain}!{report.Policy.Domain}!{report.Metadata.Begin.ToUnixTimeSeconds()}!{report.Metadata.End.ToUnixTimeSeconds()}");
        var unique = new string(report.Metadata.ReportId.Where(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.').ToArray());
        if (unique.Length > 0) name += "!" + unique;
        return name + (gzip ? ".xml.gz" : ".xml");
    }

    private static void WriteMetadata(XmlWriter xml, AggregateReportMetadata metadata)
    {
        xml.WriteStartElement("report_metadata", Namespace);
        Element(xml, "org_name", metadata.OrgName);
        Element(xml, "email", metadata.Email);
        Element(xml, "extra_contact_info", metadata.ExtraContactInfo);
        Element(xml, "report_id", metadata.ReportId);
        xml.WriteStartElement("date_range", Namespace);
        Element(xml, "begin", metadata.Begin.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));
        Element(xml, "end", metadata.End.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));
        xml.WriteEndElement();
        foreach (var error in metadata.Errors.Take(1)) Element(xml, "error", error);
        Element(xml, "generator", metadata.Generator);
        xml.WriteEndElement();
    }

    private static void WritePolicy(XmlWriter xml, AggregateReportPolicy policy)
    {
        xml.WriteStartElement("policy_published", Namespace);
        Element(xml, "domain", policy.Domain);
        Element(xml, "p", (policy.P ?? DmarcPolicy.None).ToKeyword());
        Element(xml, "sp", policy.Sp?.ToKeyword());
        Element(xml, "np", policy.Np?.ToKeyword());
        Element(xml, "adkim", policy.Adkim?.ToKeyword());
        Element(xml, "aspf", policy.Aspf?.ToKeyword());
        Element(xml, "discovery_method", policy.DiscoveryMethod);
        Element(xml, "fo", policy.Fo);
        Element(xml, "testing", policy.Testing is null ? null : policy.Testing.Value ? "y" : "n");
        xml.WriteEndElement();
    }

    private static void WriteRecord(XmlWriter xml, AggregateReportRecord record)
    {
        xml.WriteStartElement("record", Namespace);
        xml.WriteStartElement("row", Namespace);
        Element(xml, "source_ip", record.SourceIp);
        Element(xml, "count", record.Count.ToString(CultureInfo.InvariantCulture));
        xml.WriteStartElement("policy_evaluated", Namespace);
        Element(xml, "disposition", record.Disposition);
        Element(xml, "dkim", record.DkimEvaluated ?? "fail");
        Element(xml, "spf", record.SpfEvaluated ?? "fail");
        foreach (var reason in record.Reasons)
        {
            xml.WriteStartElement("reason", Namespace);
            Element(xml, "type", reason.Type);
            Element(xml, "comment", reason.Comment);
            xml.WriteEndElement();
        }
        xml.WriteEndElement();
        xml.WriteEndElement();

        xml.WriteStartElement("identifiers", Namespace);
        Element(xml, "header_from", record.HeaderFrom);
        Element(xml, "envelope_from", record.EnvelopeFrom);
        Element(xml, "envelope_to", record.EnvelopeTo);
        xml.WriteEndElement();

        xml.WriteStartElement("auth_results", Namespace);
        foreach (var dkim in record.DkimResults)
        {
            xml.WriteStartElement("dkim", Namespace);
            Element(xml, "domain", dkim.Domain);
            Element(xml, "selector", dkim.Selector ?? string.Empty);
            Element(xml, "result", dkim.Result);
            Element(xml, "human_result", dkim.HumanResult);
            xml.WriteEndElement();
        }
        foreach (var spf in record.SpfResults.Take(1))
        {
            xml.WriteStartElement("spf", Namespace);
            Element(xml, "domain", spf.Domain);
            Element(xml, "scope", spf.Scope);
            Element(xml, "result", spf.Result);
            Element(xml, "human_result", spf.HumanResult);
            xml.WriteEndElement();
        }
        xml.WriteEndElement();
        xml.WriteEndElement();
    }

    private static void Element(XmlWriter xml, string name, string? value)
    {
        if (value is null) return;
        xml.WriteElementString(name, Namespace, value);
    }
}
