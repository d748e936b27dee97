using Estafeta.Marketing.Audience;
using Estafeta.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Estafeta.Web.Api;

/// <summary><c>/api/v1/contacts</c> and <c>/api/v1/fields</c>: contacts, custom fields, engagement events, GDPR export and erasure.</summary>
internal static class ContactsApi
{
    public static void Map(RouteGroupBuilder api, AudienceService audience)
    {
        api.MapGet("/contacts", async (HttpContext ctx, int? limit, string? cursor, string? segment) =>
        {
            var n = Cursor.Limit(limit);
            var query = segment is null ? null : await audience.Segments.ResolveAsync(segment, ctx.RequestAborted);
            var page = await audience.Contacts.ListAsync(Cursor.After(cursor), n, query, ctx.RequestAborted);
            return ApiResult.Ok(new Page<Contact>(page, page.Count == 0 ? null : Cursor.Next(page[^1].Id, page.Count, n)));
        }).RequireScope("contacts:read").Produces<Page<Contact>>().WithSummary("List contacts (optionally of a segment: a saved name or an expression)");

        api.MapPost("/contacts", async Task<ApiResult> (HttpContext ctx) =>
        {
            var request = await ApiBody.ReadAsync<ContactRequest>(ctx);
            var (contact, created) = await audience.Contacts.UpsertAsync(request.ToInput(), ctx.RequestAborted);
            return created ? ApiResult.Created(contact).With("Location", $"/api/v1/contacts/{contact.Id}") : ApiResult.Ok(contact);
        }).RequireScope("contacts:write").Accepts<ContactRequest>("application/json").Produces<Contact>(201).Produces<Contact>().WithSummary("Create a contact, or update the one with the same address");

        api.MapGet("/contacts/{id:long}", async (HttpContext ctx, long id) =>
            ApiResult.Ok(await audience.Contacts.GetAsync(id, ctx.RequestAborted) ?? throw new NotFoundException($"contact {id} does not exist")))
            .RequireScope("contacts:read").Produces<Contact>().WithSummary("Get a contact");

        api.MapMethods("/contacts/{id:long}", ["PATCH"], async (HttpContext ctx, long id) =>
        {
            var request = await ApiBody.ReadAsync<ContactRequest>(ctx);
            var current = await audience.Contacts.GetAsync(id, ctx.RequestAborted) ?? throw new NotFoundException($"contact {id} does not exist");
            return ApiResult.Ok(await audience.Contacts.UpdateAsync(id, request.ToInput(request.Email ?? current.Email), ctx.RequestAborted));
        }).RequireScope("contacts:write").Accepts<ContactRequest>("application/json").Produces<Contact>().WithSummary("Change a contact");

        api.MapDelete("/contacts/{id:long}", async (HttpContext ctx, long id) =>
            ApiResult.Ok(await audience.Privacy.EraseAsync(id, ctx.RequestAborted)))
            .RequireScope("privacy:write").Produces<ErasureResult>().WithSummary("Erase a contact (GDPR): only a hash of the address stays, on the suppression list");

        api.MapGet("/contacts/{id:long}/export", async (HttpContext ctx, long id) =>
            ApiResult.Ok(await audience.Privacy.ExportAsync(id, ctx.RequestAborted)))
            .RequireScope("privacy:read").Produces<PersonalDataExport>().WithSummary("Everything stored about a contact (GDPR access and portability)");

        api.MapGet("/contacts/{id:long}/subscriptions", async (HttpContext ctx, long id) =>
            ApiResult.Ok(await audience.Subscriptions.ForContactAsync(id, ctx.RequestAborted)))
            .RequireScope("contacts:read").Produces<IReadOnlyList<Subscription>>().WithSummary("A contact's subscriptions");

        api.MapGet("/contacts/{id:long}/consent", async (HttpContext ctx, long id) =>
            ApiResult.Ok(await audience.Subscriptions.HistoryAsync(id, ctx.RequestAborted)))
            .RequireScope("contacts:read").Produces<IReadOnlyList<ConsentRecord>>().WithSummary("A contact's consent records, oldest first");

        api.MapPost("/contacts/{id:long}/events", async (HttpContext ctx, long id) =>
        {
            var request = await ApiBody.ReadAsync<EventRequest>(ctx);
            _ = await audience.Contacts.GetAsync(id, ctx.RequestAborted) ?? throw new NotFoundException($"contact {id} does not exist");
            var kind = EngagementKinds.Parse(request.Kind ?? "");
            var at = request.At ?? audience.Database.Time.GetUtcNow();
            await audience.Engagement.RecordAsync(id, kind, request.Campaign, at, ctx.RequestAborted);
            return ApiResult.Created(new EngagementEvent(kind, request.Campaign, at));
        }).RequireScope("contacts:write").Accepts<EventRequest>("application/json").Produces<EngagementEvent>(201).WithSummary("Record an engagement event (for example a conversion)");

        api.MapPost("/contacts/validate", async Task<ApiResult> (HttpContext ctx) =>
        {
            var request = await ApiBody.ReadAsync<ValidateRequest>(ctx);
            return ApiResult.Ok(await audience.Validator.ValidateAsync(request.Email ?? "", ctx.RequestAborted));
        }).RequireScope("contacts:read").Accepts<ValidateRequest>("application/json").Produces<AddressValidation>().WithSummary("Check an address: syntax, mail domain, disposable, role, typo");

        api.MapGet("/fields", async Task<ApiResult> (HttpContext ctx) => ApiResult.Ok(await audience.Fields.ListAsync(ctx.RequestAborted)))
            .RequireScope("contacts:read").Produces<IReadOnlyList<FieldDefinition>>().WithSummary("Custom contact fields");

        api.MapPost("/fields", async Task<ApiResult> (HttpContext ctx) =>
        {
            var request = await ApiBody.ReadAsync<FieldRequest>(ctx);
            var field = await audience.Fields.DefineAsync(request.Name ?? "", FieldTypes.Parse(request.Type ?? "text"), request.Choices, ctx.RequestAborted);
            return ApiResult.Created(field);
        }).RequireScope("contacts:write").Accepts<FieldRequest>("application/json").Produces<FieldDefinition>(201).WithSummary("Define a custom field (text, number, date, boolean, choice)");

        api.MapDelete("/fields/{name}", async (HttpContext ctx, string name, bool? force) =>
            ApiResult.Ok(await audience.Fields.RemoveAsync(name, force ?? false, ctx.RequestAborted)))
            .RequireScope("contacts:write").Produces<FieldRemoval>()
            .WithSummary("Remove a custom field and every contact's value of it (409 while a saved segment uses it, unless force=true)");
    }
}
