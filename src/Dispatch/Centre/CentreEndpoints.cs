using Alice.Accounts;
using Alice.Web;
using Alice.Dispatch.Police;
using Alice.Dispatch.Rides;
using Alice.Dispatch.Twilio;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Microsoft.AspNetCore.Mvc;
using T = Alice.Dispatch.Centre.CentreTexts;

namespace Alice.Dispatch.Centre;

/// <summary>
/// The centre console, for the Centre role only: the live board (<c>/centre</c>, its fragment at
/// <c>/centre/board</c>, fetched every second by the page's script), acknowledging and resolving alerts,
/// and marking a passenger arrived by booking code. Forms post with an antiforgery token; success
/// redirects back to the board, a refusal answers the board with the reason and a 4xx. The pages are the
/// components beside this file; what they show is read first (<see cref="Board"/>).
/// </summary>
internal static class CentreEndpoints
{
    internal sealed class ArrivalForm { public string? Code { get; set; } }
    internal sealed class PoliceForm { public string? Confirmed { get; set; } }
    internal sealed class AnswerForm { public string? Text { get; set; } }

    public static IEndpointRouteBuilder MapCentreEndpoints(this IEndpointRouteBuilder app)
    {
        var centre = app.MapGroup("/centre").RequireAuthorization(Roles.Centre).AsStaffPages();
        centre.MapGet("/", (HttpContext http, Board board, string? arrived, CancellationToken ct) =>
            ConsoleAsync(http, board, arrived is null ? null : $"{T.Arrived.In(PageLanguage.Of(http))} {arrived}.", null, 200, ct));
        centre.MapGet("/board", async (HttpContext http, Board board, CancellationToken ct) => (await board.ReadAsync(PageLanguage.Of(http), ct)).Show());
        centre.MapPost("/alerts/{id}/acknowledge", (string id, HttpContext http, Board board, CentreDesk desk, CancellationToken ct) =>
            AlertActionAsync(http, board, desk.AcknowledgeAsync(id, Actor(http), ct), ct));
        centre.MapPost("/alerts/{id}/resolve", (string id, HttpContext http, Board board, CentreDesk desk, CancellationToken ct) =>
            AlertActionAsync(http, board, desk.ResolveAsync(id, Actor(http), ct), ct));
        centre.MapPost("/alerts/{id}/answer", AnswerInWriting);
        centre.MapPost("/arrivals", Arrive);
        centre.MapGet("/rides/{id}/police", PolicePageAsync);
        centre.MapPost("/rides/{id}/police", RequestPolice);
        return app;
    }

    private static async Task<Results<RedirectHttpResult, RazorComponentResult<ConsolePage>>> Arrive([FromForm] ArrivalForm? form, HttpContext http,
        Board board, CentreDesk desk, CancellationToken ct)
    {
        form ??= new(); // a post with none of the fields binds to nothing
        var lang = PageLanguage.Of(http);
        var code = (form.Code ?? "").Trim();
        if (code is not { Length: 4 } || !code.All(char.IsAsciiDigit))
            return await ConsoleAsync(http, board, null, T.UnknownCode.In(lang), 400, ct);
        var (outcome, ride) = await desk.ArriveAsync(code, Actor(http), ct);
        return outcome switch
        {
            DeskOutcome.Done => TypedResults.Redirect($"/centre?arrived={code}"),
            DeskOutcome.AlreadyArrived => await ConsoleAsync(http, board, null, string.Format(T.AlreadyArrived.In(lang), code, T.Hour(ride!.EndedAt!.Value, lang)), 409, ct),
            DeskOutcome.NotNow => await ConsoleAsync(http, board, null, T.ChangedMeanwhile.In(lang), 409, ct),
            _ => await ConsoleAsync(http, board, null, T.UnknownCode.In(lang), 404, ct),
        };
    }

    /// <summary>The centre's answer to someone who texted, relayed by the service; the page never holds the number.</summary>
    private static async Task<Results<RedirectHttpResult, RazorComponentResult<ConsolePage>>> AnswerInWriting(string id, [FromForm] AnswerForm? form,
        HttpContext http, Board board, CentreDesk desk, CancellationToken ct)
    {
        var lang = PageLanguage.Of(http);
        var text = (form?.Text ?? "").Trim();
        if (text.Length is 0 or > MaxAnswer) return await ConsoleAsync(http, board, null, T.AnswerEmpty.In(lang), 400, ct);
        try
        {
            return await desk.AnswerInWritingAsync(id, text, Actor(http), ct) switch
            {
                DeskOutcome.Done => TypedResults.Redirect("/centre"),
                DeskOutcome.NotFound => await ConsoleAsync(http, board, null, T.AlertGone.In(lang), 404, ct),
                _ => await ConsoleAsync(http, board, null, T.ConversationOver.In(lang), 409, ct),
            };
        }
        catch (Exception e) when (e is HttpRequestException or TwilioRestException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            return await ConsoleAsync(http, board, null, T.NotSent.In(lang), 502, ct);
        }
    }

    /// <summary>Four text segments at most: an answer, not a letter.</summary>
    private const int MaxAnswer = 600;

    /// <summary>
    /// The confirmation page: what will be sent, to whom, and that it is only on the person's own request.
    /// Only for a ride that has arrived; for any other the action does not exist (409, and no form).
    /// </summary>
    private static async Task<RazorComponentResult<PolicePage>> PolicePageAsync(string id, HttpContext http, RideStore rides, PoliceRequests police,
        IOptions<PoliceOptions> options, CancellationToken ct)
    {
        var lang = PageLanguage.Of(http);
        var ride = await rides.FindAsync(id, ct);
        if (ride is null) return PoliceRefusal(lang, T.UnknownCode.In(lang), 404);
        if (ride.Status != RideStatus.DroppedOff) return PoliceRefusal(lang, T.PoliceNotArrived.In(lang), 409);
        if (await police.ForRideAsync(ride.Id, ct) is not null) return PoliceRefusal(lang, T.PoliceAlready.In(lang), 409);
        return PoliceConfirmation(lang, ride, options.Value, null, 200);
    }

    private static async Task<Results<RedirectHttpResult, RazorComponentResult<PolicePage>>> RequestPolice(string id, [FromForm] PoliceForm? form,
        HttpContext http, RideStore rides, CentreDesk desk, IOptions<PoliceOptions> options, CancellationToken ct)
    {
        form ??= new(); // a post with none of the fields binds to nothing
        var lang = PageLanguage.Of(http);
        var ride = await rides.FindAsync(id, ct);
        if (ride is null) return PoliceRefusal(lang, T.UnknownCode.In(lang), 404);
        if (form.Confirmed != "yes") return PoliceConfirmation(lang, ride, options.Value, T.PoliceUnconfirmed.In(lang), 400);
        return await desk.RequestPoliceAsync(id, Actor(http), ct) switch
        {
            DeskOutcome.Done => TypedResults.Redirect("/centre"),
            DeskOutcome.NotFound => PoliceRefusal(lang, T.UnknownCode.In(lang), 404),
            _ => PoliceRefusal(lang, ride.Status == RideStatus.DroppedOff ? T.PoliceAlready.In(lang) : T.PoliceNotArrived.In(lang), 409),
        };
    }

    private static RazorComponentResult<PolicePage> PoliceConfirmation(string lang, Ride ride, PoliceOptions options, string? error, int status) =>
        new PoliceModel(lang, new PoliceRequestShown(ride.Id, options.For(ride.CampusId)?.Name ?? "", ride.BookingCode, options.CentreContact), error).Show(status);

    private static RazorComponentResult<PolicePage> PoliceRefusal(string lang, string reason, int status) => new PoliceModel(lang, null, reason).Show(status);

    private static async Task<Results<RedirectHttpResult, RazorComponentResult<ConsolePage>>> AlertActionAsync(HttpContext http, Board board,
        Task<DeskOutcome> action, CancellationToken ct) =>
        await action switch
        {
            DeskOutcome.Done => TypedResults.Redirect("/centre"),
            var outcome => await ConsoleAsync(http, board, null, T.AlertGone.In(PageLanguage.Of(http)), outcome == DeskOutcome.NotFound ? 404 : 409, ct),
        };

    private static async Task<RazorComponentResult<ConsolePage>> ConsoleAsync(HttpContext http, Board board, string? notice, string? error, int status,
        CancellationToken ct)
    {
        var lang = PageLanguage.Of(http);
        return new ConsoleModel(lang, http.User.Identity?.Name, notice, error, await board.ReadAsync(lang, ct)).Show(status);
    }

    /// <summary>Who acts: the account's login name, as the audit records it.</summary>
    private static string Actor(HttpContext http) => http.User.Identity?.Name ?? throw new InvalidOperationException("The centre's routes require a login.");
}

/// <summary>The console: who is logged in, what the last action did or why it was refused, and the board.</summary>
public sealed record ConsoleModel(string Language, string? UserName, string? Notice, string? Error, BoardModel Board) : IPageModel<ConsolePage>;

/// <summary>The police page: the request about to be sent (null when there is none to send), and why a post was refused.</summary>
public sealed record PoliceModel(string Language, PoliceRequestShown? Request, string? Error) : IPageModel<PolicePage>;

/// <summary>What the police request will send: the zone, the ride's reference, the centre's contact.</summary>
public sealed record PoliceRequestShown(string RideId, string Zone, string Code, string Contact);
