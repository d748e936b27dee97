using Estafeta.Mail;
using Estafeta.MailAuth.Dns;
using Estafeta.Storage;

namespace Estafeta.Marketing.Audience;

/// <summary>
/// Everything of the audience over one database, put together once per process (the web API, the hosted
/// pages and the CLI verbs use it). <see cref="Flows"/> needs the mail engine to send confirmations.
/// </summary>
public sealed class AudienceService
{
    public AudienceService(Database db, IDnsResolver? dns, Func<Uri> publicUrl, string hostName, MailEngine? mail)
    {
        Database = db;
        this.dns = dns;
        Validator = new AddressValidator(dns, IsLocalDomainAsync, rememberDomains: false);
        Contacts = new ContactStore(db, Validator);
        Fields = new FieldStore(db);
        Lists = new ListStore(db);
        Subscriptions = new SubscriptionStore(db);
        Suppression = new SuppressionStore(db);
        Segments = new SegmentStore(db);
        Engagement = new EngagementStore(db);
        EngagementTotals = new EngagementTotals(db);
        Privacy = new ContactPrivacy(db, Contacts);
        Exporter = new ContactExporter(db, Contacts);
        Tokens = new ConsentTokens(ConsentSecret.LoadOrCreate(db.DataDirectory), db.Time);
        Links = new AudienceLinks(publicUrl, Tokens, hostName);
        Flows = mail is null ? null : new ConsentFlows(db, Contacts, Lists, Subscriptions, Links, mail);
    }

    public Database Database { get; }
    public AddressValidator Validator { get; }
    public ContactStore Contacts { get; }
    public FieldStore Fields { get; }
    public ListStore Lists { get; }
    public SubscriptionStore Subscriptions { get; }
    public SuppressionStore Suppression { get; }
    public SegmentStore Segments { get; }
    public EngagementStore Engagement { get; }
    public EngagementTotals EngagementTotals { get; }
    public ContactPrivacy Privacy { get; }
    public ContactExporter Exporter { get; }
    public ConsentTokens Tokens { get; }
    public AudienceLinks Links { get; }
    public ConsentFlows? Flows { get; }

    /// <summary>A new importer (its per-domain DNS answers live as long as it does).</summary>
    public ContactImporter Importer(bool checkDns = true) => new(Database, new AddressValidator(checkDns ? dns : null, IsLocalDomainAsync));

    private readonly IDnsResolver? dns;

    /// <summary>Whether this server receives mail for the domain (a local domain: the address validator does not ask DNS).</summary>
    private async Task<bool> IsLocalDomainAsync(string domain, CancellationToken ct) =>
        await new DomainStore(Database).GetAsync(domain, ct).ConfigureAwait(false) is not null;

    /// <summary>The header values of list mail to a contact (for the campaign sender).</summary>
    public UnsubscribeHeaders UnsubscribeHeadersFor(long contactId, MailingList list) => UnsubscribeHeaders.For(Links, contactId, list);
}
