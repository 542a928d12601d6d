using System.Security.Claims;
using Alice.Accounts;
using Alice.Web;
using Alice.Dispatch.Partners;
using Alice.Dispatch.Rides;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using T = Alice.Dispatch.PartnerDesk.PartnerDeskTexts;

namespace Alice.Dispatch.PartnerDesk;

/// <summary>
/// The page a taxi partner without an API runs its bookings on (<c>/partner</c>, Partner accounts only, each
/// tied to one console partner): its open bookings (the fragment at <c>/partner/bookings</c>, fetched by the
/// page's script), and the actions on one of them, each the very partner event the API would post, applied by
/// the same handler (deduplicated, never backwards, the same totals, alerts and texts) and audited with the
/// dispatcher's login name. A booking the partner does not hold now is answered 404, whoever's it is.
/// </summary>
internal static class PartnerDeskEndpoints
{
    internal sealed class AcceptForm { public string? Eta { get; set; } public string? Car { get; set; } public string? Plate { get; set; } }

    /// <summary>The page's actions: the wire name of the API event each one is, and what the audit records.</summary>
    private static readonly Dictionary<string, (string Type, AuditAction Audit)> Actions = new()
    {
        ["accept"] = ("accepted", AuditAction.PartnerAccepted),
        ["driver-arrived"] = ("driver_arrived", AuditAction.PartnerDriverArrived),
        ["passenger-on-board"] = ("passenger_on_board", AuditAction.PartnerPassengerOnBoard),
        ["dropped-off"] = ("dropped_off", AuditAction.PartnerDroppedOff),
        ["cannot-serve"] = ("no_driver", AuditAction.PartnerCannotServe),
    };

    public static IEndpointRouteBuilder MapPartnerDeskEndpoints(this IEndpointRouteBuilder app)
    {
        var desk = app.MapGroup("/partner").RequireAuthorization(Roles.Partner).AsStaffPages();
        desk.MapGet("/", (HttpContext http, string? done, Desk d, CancellationToken ct) => PageAsync(http, d, done is null ? null : T.Done.In(PageLanguage.Of(http)), null, 200, ct));
        desk.MapGet("/bookings", BookingsAsync);
        desk.MapPost("/bookings/{bookingId}/{action}", ActAsync);
        return app;
    }

    /// <summary>What every page of the desk needs, in one parameter.</summary>
    internal sealed class Desk(AccountService accounts, IOptions<PartnerOptions> options, PartnerBookings bookings, RideStore rides, IPartnerEvents events, AuditLog audit)
    {
        public AccountService Accounts { get; } = accounts;
        public PartnerOptions Options => options.Value;
        public PartnerBookings Bookings { get; } = bookings;
        public RideStore Rides { get; } = rides;
        public IPartnerEvents Events { get; } = events;
        public AuditLog Audit { get; } = audit;
    }

    /// <summary>The console partner this login works for; null for an account tied to none, or to a partner no longer on the page.</summary>
    private static async Task<PartnerOptions.Provider?> PartnerOfAsync(HttpContext http, Desk d, CancellationToken ct) =>
        http.User.FindFirstValue(ClaimTypes.NameIdentifier) is { } id && await d.Accounts.PartnerOfAsync(id, ct) is { } name
            ? d.Options.Console(name)
            : null;

    private static async Task<Results<RazorComponentResult<BookingsView>, StatusCodeHttpResult>> BookingsAsync(HttpContext http, Desk d, CancellationToken ct) =>
        await PartnerOfAsync(http, d, ct) is { } partner
            ? (await d.Bookings.ReadAsync(partner, PageLanguage.Of(http), ct)).Show()
            : TypedResults.StatusCode(StatusCodes.Status403Forbidden);

    private static async Task<Results<RedirectHttpResult, RazorComponentResult<PartnerPage>>> ActAsync(string bookingId, string action, [FromForm] AcceptForm? form,
        HttpContext http, Desk d, CancellationToken ct)
    {
        var lang = PageLanguage.Of(http);
        if (!Actions.TryGetValue(action, out var act)) return await PageAsync(http, d, null, T.NotYours.In(lang), 404, ct);
        if (await PartnerOfAsync(http, d, ct) is not { } partner) return await PageAsync(http, d, null, T.NoPartner.In(lang), 403, ct);
        // Only a booking this partner holds now: another partner's, one moved on or over, or none at all, is not found.
        if (await d.Rides.FindByPartnerBookingAsync(partner.Name, bookingId, ct) is not { EndedAt: null } ride)
            return await PageAsync(http, d, null, T.NotYours.In(lang), 404, ct);

        var (type, audited) = act;
        int? eta = null;
        var accepting = action == "accept";
        if (accepting)
        {
            if (!int.TryParse(form?.Eta, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var minutes))
                return await PageAsync(http, d, null, T.BadAccept.In(lang), 400, ct);
            eta = minutes;
        }
        // The event the API would carry, checked by the API's own rules: one per booking and action, so a second click is a repeat.
        var (e, _) = new PartnerEventBody($"page:{bookingId}:{type}", null, bookingId, null, type, eta,
            accepting ? new PartnerEventBody.Car(Blank(form?.Car), Blank(form?.Plate)) : null, null).Parse();
        if (e is null || e.Dropped.Count > 0) return await PageAsync(http, d, null, T.BadAccept.In(lang), 400, ct);

        var result = await d.Events.ApplyAsync(partner, e, ct);
        if (result is IPartnerEvents.Result.UnknownBooking or IPartnerEvents.Result.Contradicts)
            return await PageAsync(http, d, null, T.NotYours.In(lang), 404, ct);
        if (result == IPartnerEvents.Result.Applied)
            await d.Audit.WriteAsync(http.User.Identity?.Name ?? throw new InvalidOperationException("The partner's routes require a login."), audited, ride.BookingCode, ct);
        return TypedResults.Redirect("/partner?done=1");
    }

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    private static async Task<RazorComponentResult<PartnerPage>> PageAsync(HttpContext http, Desk d, string? notice, string? error, int status, CancellationToken ct)
    {
        var lang = PageLanguage.Of(http);
        var partner = await PartnerOfAsync(http, d, ct);
        if (partner is null) return new PartnerModel(lang, http.User.Identity?.Name, "", null, T.NoPartner.In(lang), null).Show(StatusCodes.Status403Forbidden);
        return new PartnerModel(lang, http.User.Identity?.Name, partner.Name, notice, error, await d.Bookings.ReadAsync(partner, lang, ct)).Show(status);
    }
}

/// <summary>The partner page: who is logged in, for which partner, what the last action did or why it was refused, and the bookings (none for an account tied to no partner).</summary>
public sealed record PartnerModel(string Language, string? UserName, string Partner, string? Notice, string? Error, BookingsModel? Bookings) : IPageModel<PartnerPage>;
