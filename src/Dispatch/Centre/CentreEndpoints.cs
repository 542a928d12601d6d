using Alice.Accounts;
using Alice.Dispatch.Police;
using Alice.Dispatch.Rides;
using Microsoft.Extensions.Options;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Mvc;
using static Alice.Accounts.Html;
using T = Alice.Dispatch.Centre.CentreTexts;

namespace Alice.Dispatch.Centre;

/// <summary>
/// The centre console, for the Centre role only: the live board (<c>/centre</c>, its fragment at
/// <c>/centre/board</c>, fetched every second by the page's script), acknowledging and resolving alerts,
/// and marking a passenger arrived by booking code. Forms post with an antiforgery token; success
/// redirects back to the board, a refusal answers the board with the reason and a 4xx.
/// </summary>
internal static class CentreEndpoints
{
    internal sealed class ArrivalForm { public string? Code { get; set; } }
    internal sealed class PoliceForm { public string? Confirmed { get; set; } }

    public static IEndpointRouteBuilder MapCentreEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/assets/centre.js", () => Results.Stream(
            typeof(CentreEndpoints).Assembly.GetManifestResourceStream("Alice.Dispatch.Centre.centre.js")!, "text/javascript; charset=utf-8"))
            .AddEndpointFilter<SecurityHeaders>();

        var centre = app.MapGroup("/centre").RequireAuthorization(Roles.Centre).AsStaffPages();
        centre.MapGet("/", (HttpContext http, IAntiforgery af, Board board, string? arrived, CancellationToken ct) =>
            ConsoleAsync(http, af, board, arrived is null ? null : $"{T.Arrived.In(PageLanguage.Of(http))} {arrived}.", null, 200, ct));
        centre.MapGet("/board", async (HttpContext http, IAntiforgery af, Board board, CancellationToken ct) =>
            Results.Content(await board.RenderAsync(PageLanguage.Of(http), Button(http, af), ct), "text/html; charset=utf-8"));
        centre.MapPost("/alerts/{id}/acknowledge", (string id, HttpContext http, IAntiforgery af, Board board, CentreDesk desk, CancellationToken ct) =>
            AlertActionAsync(http, af, board, desk.AcknowledgeAsync(id, Actor(http), ct), ct));
        centre.MapPost("/alerts/{id}/resolve", (string id, HttpContext http, IAntiforgery af, Board board, CentreDesk desk, CancellationToken ct) =>
            AlertActionAsync(http, af, board, desk.ResolveAsync(id, Actor(http), ct), ct));
        centre.MapPost("/arrivals", Arrive);
        centre.MapGet("/rides/{id}/police", PolicePageAsync);
        centre.MapPost("/rides/{id}/police", RequestPolice);
        return app;
    }

    private static async Task<IResult> Arrive([FromForm] ArrivalForm? form, HttpContext http, IAntiforgery af, Board board, CentreDesk desk, CancellationToken ct)
    {
        form ??= new(); // a post with none of the fields binds to nothing
        var lang = PageLanguage.Of(http);
        var code = (form.Code ?? "").Trim();
        if (code is not { Length: 4 } || !code.All(char.IsAsciiDigit))
            return await ConsoleAsync(http, af, board, null, T.UnknownCode.In(lang), 400, ct);
        var (outcome, _) = await desk.ArriveAsync(code, Actor(http), ct);
        return outcome switch
        {
            DeskOutcome.Done => Results.Redirect($"/centre?arrived={code}"),
            DeskOutcome.NotNow => await ConsoleAsync(http, af, board, null, T.StillBooking.In(lang), 409, ct),
            _ => await ConsoleAsync(http, af, board, null, T.UnknownCode.In(lang), 404, ct),
        };
    }

    /// <summary>
    /// The confirmation page: what will be sent, to whom, and that it is only on the person's own request.
    /// Only for a ride that has arrived; for any other the action does not exist (409, and no form).
    /// </summary>
    private static async Task<IResult> PolicePageAsync(string id, HttpContext http, IAntiforgery af, RideStore rides, PoliceRequests police,
        IOptions<PoliceOptions> options, CancellationToken ct)
    {
        var lang = PageLanguage.Of(http);
        var ride = await rides.FindAsync(id, ct);
        if (ride is null) return PoliceRefusal(lang, T.UnknownCode.In(lang), 404);
        if (ride.Status != RideStatus.DroppedOff) return PoliceRefusal(lang, T.PoliceNotArrived.In(lang), 409);
        if (await police.ForRideAsync(ride.Id, ct) is not null) return PoliceRefusal(lang, T.PoliceAlready.In(lang), 409);
        var zone = options.Value.For(ride.CampusId)?.Name ?? "";
        return PoliceConfirmation(http, af, lang, ride, zone, options.Value.CentreContact, null, 200);
    }

    private static async Task<IResult> RequestPolice(string id, [FromForm] PoliceForm? form, HttpContext http, IAntiforgery af, RideStore rides,
        CentreDesk desk, IOptions<PoliceOptions> options, CancellationToken ct)
    {
        form ??= new(); // a post with none of the fields binds to nothing
        var lang = PageLanguage.Of(http);
        var ride = await rides.FindAsync(id, ct);
        if (ride is null) return PoliceRefusal(lang, T.UnknownCode.In(lang), 404);
        if (form.Confirmed != "yes")
            return PoliceConfirmation(http, af, lang, ride, options.Value.For(ride.CampusId)?.Name ?? "", options.Value.CentreContact, T.PoliceUnconfirmed.In(lang), 400);
        return await desk.RequestPoliceAsync(id, Actor(http), ct) switch
        {
            DeskOutcome.Done => Results.Redirect("/centre"),
            DeskOutcome.NotFound => PoliceRefusal(lang, T.UnknownCode.In(lang), 404),
            _ => PoliceRefusal(lang, ride.Status == RideStatus.DroppedOff ? T.PoliceAlready.In(lang) : T.PoliceNotArrived.In(lang), 409),
        };
    }

    private static IResult PoliceConfirmation(HttpContext http, IAntiforgery af, string lang, Ride ride, string zone, string contact, string? error, int status) =>
        Page(lang, T.PoliceTitle.In(lang), $"""
            <h1>{E(T.PoliceTitle.In(lang))}</h1>
            {Error(error)}
            <p><strong>{E(T.PoliceOnlyIf.In(lang))}</strong></p>
            <p>{E(string.Format(T.PoliceWhat.In(lang), zone, ride.BookingCode, contact))}</p>
            <form method="post" action="/centre/rides/{E(ride.Id)}/police">
            {Antiforgery(af, http)}
            <label class="check"><input type="checkbox" name="confirmed" value="yes" required> {E(T.PoliceConfirm.In(lang))}</label>
            <button type="submit">{E(T.PoliceSend.In(lang))}</button>
            </form>
            <p><a href="/centre">{E(T.Back.In(lang))}</a></p>
            """, status);

    private static IResult PoliceRefusal(string lang, string reason, int status) =>
        Page(lang, T.PoliceTitle.In(lang), $"<h1>{E(T.PoliceTitle.In(lang))}</h1>{Error(reason)}<p><a href=\"/centre\">{E(T.Back.In(lang))}</a></p>", status);

    private static async Task<IResult> AlertActionAsync(HttpContext http, IAntiforgery af, Board board, Task<DeskOutcome> action, CancellationToken ct) =>
        await action switch
        {
            DeskOutcome.Done => Results.Redirect("/centre"),
            var outcome => await ConsoleAsync(http, af, board, null, T.AlertGone.In(PageLanguage.Of(http)), outcome == DeskOutcome.NotFound ? 404 : 409, ct),
        };

    private static async Task<IResult> ConsoleAsync(HttpContext http, IAntiforgery af, Board board, string? notice, string? error, int status, CancellationToken ct)
    {
        var lang = PageLanguage.Of(http);
        var body = $"""
            <div class="bar"><h1>{E(T.Title.In(lang))}</h1>
            <span class="live" id="live">{E(T.Live.In(lang))}</span>
            <button type="button" id="sound" class="secondary" data-on="{E(T.SoundOn.In(lang))}" data-off="{E(T.SoundOff.In(lang))}">{E(T.SoundOff.In(lang))}</button>
            <span>{E(http.User.Identity?.Name)}</span> {AccountEndpoints.LogoutForm(af, http, lang)}</div>
            {(notice is null ? "" : $"<p class=\"notice\" role=\"status\">{E(notice)}</p>")}
            {Error(error)}
            <form method="post" action="/centre/arrivals" class="arrival">
            {Antiforgery(af, http)}
            <label>{E(T.Arrival.In(lang))} <small>{E(T.ArrivalHelp.In(lang))}</small>
            <input name="code" inputmode="numeric" pattern="\d\d\d\d" maxlength="4" autocomplete="off" required></label>
            <button type="submit">{E(T.MarkArrived.In(lang))}</button>
            </form>
            <div id="board" aria-live="polite">{await board.RenderAsync(lang, Button(http, af), ct)}</div>
            """;
        return Page(lang, T.Title.In(lang), body, status, script: "/assets/centre.js");
    }

    private static Func<string, string, string> Button(HttpContext http, IAntiforgery af)
    {
        var token = Antiforgery(af, http);
        return (action, label) => $"<form method=\"post\" action=\"{E(action)}\" class=\"inline\">{token}<button type=\"submit\">{E(label)}</button></form>";
    }

    /// <summary>Who acts: the account's login name, as the audit records it.</summary>
    private static string Actor(HttpContext http) => http.User.Identity?.Name ?? throw new InvalidOperationException("The centre's routes require a login.");
}
