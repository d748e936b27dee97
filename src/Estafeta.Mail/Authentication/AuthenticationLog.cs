using Microsoft.Extensions.Logging;

namespace Estafeta.Mail.Authentication;

/// <summary>The log lines of mail authentication. Keys and their files' content are never logged.</summary>
internal sealed partial class AuthenticationLog(ILogger log)
{
    public void OutcomeNotRecorded(Exception e, string fromDomain) => LogOutcomeNotRecorded(log, e, fromDomain);
    public void ReportStored(string domain, string org, string reportId, int records) => LogReportStored(log, domain, org, reportId, records);
    public void ReportDuplicate(string org, string reportId) => LogReportDuplicate(log, org, reportId);
    public void ReportUnreadable(string error) => LogReportUnreadable(log, error);
    public void TlsReportStored(string submitter, string reportId, int policies, long failedSessions) => LogTlsReportStored(log, submitter, reportId, policies, failedSessions);
    public void TlsReportDuplicate(string submitter, string reportId) => LogTlsReportDuplicate(log, submitter, reportId);
    public void TlsReportUnreadable(string error) => LogTlsReportUnreadable(log, error);
    public void ReportSent(string domain, string day, long messages, string destinations) => LogReportSent(log, domain, day, messages, destinations);
    public void ReportNotSent(string domain, string day, string why) => LogReportNotSent(log, domain, day, why);
    public void KeyActivated(string domain, string selector) => LogKeyActivated(log, domain, selector);
    public void JobFailed(Exception e, string job) => LogJobFailed(log, e, job);

    [LoggerMessage(Level = LogLevel.Warning, Message = "DMARC outcome for {FromDomain} not recorded for the aggregate report")]
    private static partial void LogOutcomeNotRecorded(ILogger log, Exception e, string fromDomain);

    [LoggerMessage(Level = LogLevel.Information, Message = "DMARC aggregate report for {Domain} from {Org} stored: id {ReportId}, {Records} records")]
    private static partial void LogReportStored(ILogger log, string domain, string org, string reportId, int records);

    [LoggerMessage(Level = LogLevel.Information, Message = "DMARC aggregate report {ReportId} from {Org} was already stored")]
    private static partial void LogReportDuplicate(ILogger log, string org, string reportId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Mail to a DMARC report address is not a readable aggregate report: {Error}")]
    private static partial void LogReportUnreadable(ILogger log, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "TLS report {ReportId} from {Submitter} stored: {Policies} policies, {FailedSessions} failed sessions")]
    private static partial void LogTlsReportStored(ILogger log, string submitter, string reportId, int policies, long failedSessions);

    [LoggerMessage(Level = LogLevel.Information, Message = "TLS report {ReportId} from {Submitter} was already stored")]
    private static partial void LogTlsReportDuplicate(ILogger log, string submitter, string reportId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Mail to a TLS report address is not a readable TLS report: {Error}")]
    private static partial void LogTlsReportUnreadable(ILogger log, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "DMARC aggregate report for {Domain} of {Day} queued: {Messages} messages to {Destinations}")]
    private static partial void LogReportSent(ILogger log, string domain, string day, long messages, string destinations);

    [LoggerMessage(Level = LogLevel.Information, Message = "No DMARC aggregate report for {Domain} of {Day}: {Why}")]
    private static partial void LogReportNotSent(ILogger log, string domain, string day, string why);

    [LoggerMessage(Level = LogLevel.Information, Message = "DKIM selector {Selector} of {Domain} is published; it signs from now on")]
    private static partial void LogKeyActivated(ILogger log, string domain, string selector);

    [LoggerMessage(Level = LogLevel.Error, Message = "Mail authentication job {Job} failed; it runs again at its next time")]
    private static partial void LogJobFailed(ILogger log, Exception e, string job);
}
