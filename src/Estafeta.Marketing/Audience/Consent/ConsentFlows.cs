using System.Text;
using Dapper;
using Estafeta.Mail;
using Estafeta.Storage;

namespace Estafeta.Marketing.Audience;

/// <summary>
/// The consent workflows: subscribe (single or double opt-in), confirm, resend, expire unconfirmed contacts,
/// unsubscribe (link, one-click POST or mail) and the preference centre. Every change goes through
/// <see cref="SubscriptionStore"/> with its evidence, and takes effect at once.
/// </summary>
public sealed class ConsentFlows(Database db, ContactStore contacts, ListStore lists, SubscriptionStore subscriptions, AudienceLinks links, MailEngine mail)
{
    /// <summary>How long a confirmation link stays valid; unconfirmed subscriptions older than this expire.</summary>
    public TimeSpan ConfirmationValidity { get; init; } = TimeSpan.FromDays(7);

    /// <summary>The shortest time between two confirmation mails for one subscription.</summary>
    public TimeSpan ResendInterval { get; init; } = TimeSpan.FromMinutes(2);

    public async Task<SubscribeResult> SubscribeAsync(long listId, SubscribeRequest request, ConsentEvidence evidence, CancellationToken ct = default)
    {
        var list = await lists.GetAsync(listId, ct).ConfigureAwait(false) ?? throw new NotFoundException($"list {listId} does not exist");
        var canonical = AddressSyntax.Check(request.Email, out var problem) ?? throw new InvalidInputException($"'{request.Email}' is not an email address: {problem}");
        if (await new SuppressionStore(db).ReasonAsync(canonical, ct).ConfigureAwait(false) is not null)
        {
            return new SubscribeResult(SubscribeOutcome.Suppressed, null);
        }

        var existing = await contacts.FindAsync(canonical, ct).ConfigureAwait(false);
        var (contact, _) = await contacts.UpsertAsync(new ContactInput(canonical)
        {
            // A form must not overwrite what an existing contact already has.
            Name = existing?.Name is null ? request.Name : null,
            Language = existing?.Language is null ? request.Language : null,
            Fields = request.Fields,
        }, ct).ConfigureAwait(false);
        var current = await subscriptions.GetAsync(contact.Id, list.Id, ct).ConfigureAwait(false);
        if (current?.Status == SubscriptionStatus.Subscribed) return new SubscribeResult(SubscribeOutcome.AlreadySubscribed, contact.Id);
        evidence = evidence with { ConsentText = evidence.ConsentText ?? list.ConsentTextIn(request.Language ?? existing?.Language) };
        if (!list.DoubleOptIn)
        {
            await subscriptions.SetAsync(contact.Id, list.Id, SubscriptionStatus.Subscribed, evidence, ct).ConfigureAwait(false);
            return new SubscribeResult(SubscribeOutcome.Subscribed, contact.Id);
        }

        if (current?.Status != SubscriptionStatus.Unconfirmed)
        {
            await subscriptions.SetAsync(contact.Id, list.Id, SubscriptionStatus.Unconfirmed, evidence, ct).ConfigureAwait(false);
        }

        await SendConfirmationAsync(contact, list, force: current?.Status != SubscriptionStatus.Unconfirmed, ct).ConfigureAwait(false);
        return new SubscribeResult(SubscribeOutcome.ConfirmationSent, contact.Id);
    }

    /// <summary>Sends the confirmation mail again; false when the last one went out less than <see cref="ResendInterval"/> ago.</summary>
    public async Task<bool> ResendAsync(long contactId, long listId, CancellationToken ct = default)
    {
        var subscription = await subscriptions.GetAsync(contactId, listId, ct).ConfigureAwait(false)
            ?? throw new NotFoundException($"contact {contactId} has no subscription to list {listId}");
        if (subscription.Status != SubscriptionStatus.Unconfirmed) throw new ConflictException($"the subscription is {SubscriptionStatuses.Name(subscription.Status)}, not waiting for confirmation");
        var contact = (await contacts.GetAsync(contactId, ct).ConfigureAwait(false))!;
        var list = (await lists.GetAsync(listId, ct).ConfigureAwait(false))!;
        return await SendConfirmationAsync(contact, list, force: false, ct).ConfigureAwait(false);
    }

    private async Task<bool> SendConfirmationAsync(Contact contact, MailingList list, bool force, CancellationToken ct)
    {
        var now = db.Time.GetUtcNow();
        await using (var connection = await db.OpenAsync(ct).ConfigureAwait(false))
        {
            // Claim the send: at most one mail per interval, also with concurrent requests.
            var claimed = await connection.ExecuteAsync(new CommandDefinition(
                """
                UPDATE subscriptions SET confirmation_sent_at = @now
                WHERE contact_id = @contactId AND list_id = @listId AND status = 'unconfirmed'
                  AND (@force = 1 OR confirmation_sent_at IS NULL OR confirmation_sent_at <= @before)
                """,
                new { now = now.ToUnixTimeMilliseconds(), contactId = contact.Id, listId = list.Id, force = force ? 1L : 0L, before = (now - ResendInterval).ToUnixTimeMilliseconds() },
                cancellationToken: ct)).ConfigureAwait(false);
            if (claimed == 0) return false;
        }

        var expires = now + ConfirmationValidity;
        var token = links.Tokens.Create(TokenPurpose.Confirm, contact.Id, list.Id, expires);
        var from = list.FromAddress ?? $"no-reply@{links.HostName}";
        var message = ConfirmationMail.Build(from, contact.Email, contact.Name, contact.Language, list, links.Confirm(token), expires, links.HostName);
        using var buffer = new MemoryStream();
        await message.WriteToAsync(MimeKit.FormatOptions.Default, buffer, ct).ConfigureAwait(false);
        var receipt = await mail.SubmitAsync(new LocalSubmission(from, [contact.Email], buffer.ToArray()), ct).ConfigureAwait(false);
        if (receipt.RefusedRecipients.Count > 0)
        {
            // An address of one of this server's own domains that has no mailbox: the confirmation cannot arrive.
            throw new InvalidInputException($"'{contact.Email}' cannot receive mail: this server has no mailbox of that name");
        }

        return true;
    }

    /// <summary>Confirms the subscription named by a confirmation token. Null when the token is invalid or expired.</summary>
    public async Task<Subscription?> ConfirmAsync(string token, ConsentEvidence evidence, CancellationToken ct = default)
    {
        var parsed = links.Tokens.Verify(token, TokenPurpose.Confirm);
        if (parsed is null) return null;
        var current = await subscriptions.GetAsync(parsed.ContactId, parsed.ListId, ct).ConfigureAwait(false);
        if (current is null) return null;
        if (current.Status == SubscriptionStatus.Subscribed) return current;
        if (current.Status != SubscriptionStatus.Unconfirmed) return null;
        var list = (await lists.GetAsync(parsed.ListId, ct).ConfigureAwait(false))!;
        // The text in the language the confirmation mail was written in: the contact's.
        var language = (await contacts.GetAsync(parsed.ContactId, ct).ConfigureAwait(false))?.Language;
        return await subscriptions.SetAsync(parsed.ContactId, parsed.ListId, SubscriptionStatus.Subscribed, evidence with { ConsentText = list.ConsentTextIn(language) }, ct).ConfigureAwait(false);
    }

    /// <summary>Unsubscribes from the list named by an unsubscribe token (page, one-click POST or mail). Null for an
    /// invalid token. A valid one whose list or subscription is gone (deleted since the mail was sent) has nothing left to
    /// change: its result has no subscription, and no more mail of that list comes either way.</summary>
    public async Task<UnsubscribeResult?> UnsubscribeAsync(string token, ConsentEvidence evidence, CancellationToken ct = default)
    {
        var parsed = links.Tokens.Verify(token, TokenPurpose.Unsubscribe);
        if (parsed is null) return null;
        var current = await subscriptions.GetAsync(parsed.ContactId, parsed.ListId, ct).ConfigureAwait(false);
        if (current is null || current.Status is SubscriptionStatus.Unsubscribed or SubscriptionStatus.Bounced or SubscriptionStatus.Complained)
            return new UnsubscribeResult(parsed.ContactId, current);
        return new UnsubscribeResult(parsed.ContactId, await subscriptions.SetAsync(parsed.ContactId, parsed.ListId, SubscriptionStatus.Unsubscribed, evidence, ct).ConfigureAwait(false));
    }

    /// <summary>Deletes expired unconfirmed subscriptions; contacts that never consented to anything are deleted with them.</summary>
    public async Task<int> ExpireUnconfirmedAsync(CancellationToken ct = default)
    {
        var cutoff = (db.Time.GetUtcNow() - ConfirmationValidity).ToUnixTimeMilliseconds();
        await using var connection = await db.OpenAsync(ct).ConfigureAwait(false);
        await using var tx = await AudienceSql.BeginWriteAsync(connection, ct).ConfigureAwait(false);
        var expired = (await connection.QueryAsync<(long ContactId, long ListId)>(new CommandDefinition(
            "SELECT contact_id, list_id FROM subscriptions WHERE status = 'unconfirmed' AND created_at < @cutoff", new { cutoff }, tx, cancellationToken: ct)).ConfigureAwait(false)).ToList();
        var now = AudienceSql.Now(db);
        foreach (var (contactId, listId) in expired)
        {
            await SubscriptionStore.KeepImportConsentAsync(connection, tx,
                "s.contact_id = @contactId AND s.list_id = @listId AND s.consent_record_id IS NOT NULL", new { contactId, listId }, ct).ConfigureAwait(false);
            await connection.ExecuteAsync(new CommandDefinition(
                "DELETE FROM subscriptions WHERE contact_id = @contactId AND list_id = @listId", new { contactId, listId }, tx, cancellationToken: ct)).ConfigureAwait(false);
            var keep = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                """
                SELECT (SELECT COUNT(*) FROM subscriptions WHERE contact_id = @contactId)
                     + (SELECT COUNT(*) FROM consent_records WHERE contact_id = @contactId AND status <> 'unconfirmed')
                """, new { contactId }, tx, cancellationToken: ct)).ConfigureAwait(false);
            if (keep == 0)
            {
                await connection.ExecuteAsync(new CommandDefinition("DELETE FROM contacts WHERE id = @contactId", new { contactId }, tx, cancellationToken: ct)).ConfigureAwait(false);
            }
            else
            {
                await SubscriptionStore.InsertRecordAsync(connection, tx, contactId, listId, "unsubscribed",
                    new ConsentEvidence(ConsentSourceKind.System, "confirmation expired"), now, ct).ConfigureAwait(false);
            }
        }

        await tx.CommitAsync(ct).ConfigureAwait(false);
        return expired.Count;
    }

    /// <summary>What the preference centre shows: the contact and its subscriptions.</summary>
    public async Task<(Contact Contact, IReadOnlyList<Subscription> Subscriptions, IReadOnlyList<MailingList> Lists)?> PreferencesAsync(string token, CancellationToken ct = default)
    {
        var parsed = links.Tokens.Verify(token, TokenPurpose.Preferences);
        if (parsed is null) return null;
        var contact = await contacts.GetAsync(parsed.ContactId, ct).ConfigureAwait(false);
        if (contact is null) return null;
        var subs = await subscriptions.ForContactAsync(contact.Id, ct).ConfigureAwait(false);
        var all = await lists.ListAsync(ct).ConfigureAwait(false);
        return (contact, subs, [.. all.Where(l => subs.Any(s => s.ListId == l.Id))]);
    }

    /// <summary>
    /// Applies the preference centre: which of the contact's lists to stay on, the language, a pause of sending,
    /// or unsubscribing from everything (which suppresses the address).
    /// </summary>
    public async Task<bool> SavePreferencesAsync(string token, PreferenceChoice choice, ConsentEvidence evidence, CancellationToken ct = default)
    {
        var state = await PreferencesAsync(token, ct).ConfigureAwait(false);
        if (state is not { } s) return false;
        if (choice.UnsubscribeAll)
        {
            await new SuppressionStore(db).AddAsync(s.Contact.Email, SuppressionReason.Unsubscribed, "preference centre", evidence, ct).ConfigureAwait(false);
            return true;
        }

        foreach (var sub in s.Subscriptions)
        {
            var wanted = choice.Lists.Contains(sub.ListId);
            if (wanted && sub.Status is SubscriptionStatus.Unsubscribed)
            {
                await subscriptions.SetAsync(s.Contact.Id, sub.ListId, SubscriptionStatus.Subscribed, evidence, ct).ConfigureAwait(false);
            }
            else if (!wanted && sub.Status is SubscriptionStatus.Subscribed or SubscriptionStatus.Unconfirmed)
            {
                await subscriptions.SetAsync(s.Contact.Id, sub.ListId, SubscriptionStatus.Unsubscribed, evidence, ct).ConfigureAwait(false);
            }
        }

        if (choice.Language is { } language && !string.Equals(language, s.Contact.Language, StringComparison.Ordinal))
        {
            await contacts.UpsertAsync(new ContactInput(s.Contact.Email) { Language = language }, ct).ConfigureAwait(false);
        }

        if (choice.PauseDays is { } days)
        {
            await contacts.PauseAsync(s.Contact.Id, days <= 0 ? null : db.Time.GetUtcNow().AddDays(days), ct).ConfigureAwait(false);
        }

        return true;
    }

    /// <summary>Handles a mail to <c>unsubscribe+TOKEN@domain</c>; false when the address carries no valid token.</summary>
    public async Task<bool> UnsubscribeByMailAsync(string address, string envelopeSender, CancellationToken ct = default)
    {
        var token = AudienceLinks.TokenOfAddress(address);
        if (token is null) return false;
        var result = await UnsubscribeAsync(token, new ConsentEvidence(ConsentSourceKind.Mail, Shorten($"mail from <{envelopeSender}>")), ct).ConfigureAwait(false);
        return result?.Subscription is not null;
    }

    private static string Shorten(string s) => s.Length <= 300 ? s : new StringBuilder(s, 0, 300, 300).ToString();
}

/// <summary>What an unsubscribe link did: the contact it names, and its subscription after it (null when the list or the
/// subscription is gone).</summary>
public sealed record UnsubscribeResult(long ContactId, Subscription? Subscription);

/// <summary>What a person chose in the preference centre. <see cref="PauseDays"/>: 30 or 90 to pause, 0 to resume, null to leave as is.</summary>
public sealed record PreferenceChoice(IReadOnlySet<long> Lists, string? Language, int? PauseDays, bool UnsubscribeAll);
