using Alice.Accounts;
using Alice.Totals;
using Alice.Web;
using Alice.Dispatch.Campuses;
using Alice.Dispatch.Police;
using Alice.Dispatch.Rides;
using T = Alice.Dispatch.Centre.CentreTexts;

namespace Alice.Dispatch.Centre;

/// <summary>
/// The board's query: open alerts on top (a ride a person took over is there, by its alert), then every ride under way. Only what the
/// centre needs to expect the passenger: code, pickup point, status, ETA, car. Nothing about the caller,
/// because nothing is stored. Below them, the changes to accounts in the last week, from the audit: the
/// centre sees who was given a login or had a second factor reset (each is texted to the on-call phone too).
/// Everything is read here, before <see cref="BoardView"/> lays it out: on the console, and every second for the page's script.
/// </summary>
internal sealed class Board(RideStore rides, RideBoard board, AlertStore alerts, PoliceRequests police, CampusDirectory campuses, AuditLog audit,
    IWrittenReplies written, TimeProvider clock)
{
    /// <summary>How far back the board lists account changes.</summary>
    public static readonly TimeSpan AccountChangesShownFor = TimeSpan.FromDays(7);

    /// <summary>How long an arrived ride stays on the board, with its police action.</summary>
    public static readonly TimeSpan ArrivedShownFor = TimeSpan.FromHours(24);

    public async Task<BoardModel> ReadAsync(string language, CancellationToken ct)
    {
        var underWay = await board.UnderWayAsync(ct);
        var open = await alerts.OpenAlertsAsync(ct);
        var byId = underWay.ToDictionary(r => r.Id);
        var missing = open.Select(a => a.RideId).Where(id => !byId.ContainsKey(id)).Distinct().ToList();
        if (missing.Count > 0) foreach (var ride in await rides.FindManyAsync(missing, ct)) byId[ride.Id] = ride;
        var now = clock.GetUtcNow();
        var arrived = await board.ArrivedSinceAsync(now - ArrivedShownFor, ct);
        var requests = await police.RecentAsync(50, ct);
        var asked = requests.Select(r => r.RideId).ToHashSet();
        var changes = await audit.ReadAsync(AuditSubject.Account, now - AccountChangesShownFor, 30, ct);
        // A written alert outlives its conversation (erased two hours after the first message, or once its ride is
        // over): the board then says that no answer can reach them, instead of offering a form that would fail.
        var answerable = await written.StillHeldAsync(
            [.. open.Select(a => WrittenAlerts.Parse(a.RideId)?.ConversationId).OfType<string>()], ct);

        return new BoardModel(language,
            [.. open.Select(a =>
            {
                var ride = byId.GetValueOrDefault(a.RideId);
                var canAnswer = a.Kind == AlertKind.Written && WrittenAlerts.Parse(a.RideId) is { } about && answerable.Contains(about.ConversationId);
                var what = a.Kind == AlertKind.Written && !canAnswer ? T.WrittenOver : T.Of(a.Kind);
                return new BoardAlert(a.Id, ride?.BookingCode ?? "—", ride is null ? "" : PickupName(ride, language), ride is null ? "" : PickupAddress(ride),
                    Minutes(now - a.CreatedAt, language), what.In(language), ride is null ? null : ToCall(ride, a.Kind, language), a.AcknowledgedBy,
                    canAnswer ? $"/centre/alerts/{a.Id}/answer" : null);
            })],
            [.. underWay.Select(r => new BoardRide(r.Id, r.Status.ToText(), r.BookingCode, PickupName(r, language), T.Of(r.Status, language),
                Expected(r, now, language), r.Vehicle ?? "—", Minutes(now - r.CreatedAt, language)))],
            [.. arrived.Select(r => new BoardArrival(r.Id, r.BookingCode, PickupName(r, language), T.Hour(r.EndedAt!.Value, language), CalledOff(r, language),
                PoliceAsked: asked.Contains(r.Id)))],
            [.. requests.Select(r => new BoardPoliceRequest(r.Id, r.BookingCode, r.RequestedBy, r.DeliveredAt is { } at ? T.Hour(at, language) : null))],
            [.. changes.Select(c => new BoardAccountChange(
                Week.InBrussels(c.At).ToString("dd/MM HH:mm"), c.Subject, AccountAction(c.Action, language), c.Actor))]);
    }

    private string PickupName(Ride ride, string language) =>
        campuses.ById(ride.CampusId)?.PickupPoint(ride.PickupPointId)?.Names.GetValueOrDefault(language)
        ?? ride.PickupPointId;

    private static string AccountAction(string action, string language) => AuditActions.Parse(action) switch
    {
        AuditAction.AccountInvited => T.AccountInvited.In(language),
        AuditAction.AccountEnrolled => T.AccountEnrolled.In(language),
        AuditAction.AccountSecondFactorReset => T.AccountReset.In(language),
        AuditAction.AccountDisabled => T.AccountDisabled.In(language),
        _ => action,
    };

    private string PickupAddress(Ride ride) => campuses.ById(ride.CampusId)?.PickupPoint(ride.PickupPointId)?.Address ?? "";

    /// <summary>Whom to call about the alert: for a ride no taxi took, the human line its caller was put through to.</summary>
    private string? ToCall(Ride ride, AlertKind kind, string language) =>
        kind == AlertKind.NeedsPerson && campuses.ById(ride.CampusId) is { } campus ? string.Format(T.CallHumanLine.In(language), campus.HumanNumber) : null;

    /// <summary>
    /// What is expected next, said as what it is: the driver at the pickup point until the passenger is on board,
    /// then the car at the centre when the partner said when. A clock time, with the minutes left.
    /// </summary>
    private static string Expected(Ride ride, DateTimeOffset now, string language)
    {
        if (ride.EtaAt is not { } at || ride.Status is not (RideStatus.Booked or RideStatus.Accepted or RideStatus.DriverArrived or RideStatus.OnBoard)) return "—";
        var what = ride.Status == RideStatus.OnBoard ? T.EtaCentre : T.EtaPickup;
        var left = Math.Max(0, (int)Math.Ceiling((at - now).TotalMinutes));
        return string.Format(what.In(language), Clock(at), $"{left} {T.Minutes.In(language)}");
    }

    /// <summary>What became of the taxi of a ride the centre marked arrived before it brought the passenger.</summary>
    private static string? CalledOff(Ride ride, string language) => ride.ArrivedWhile switch
    {
        RideStatus.Requested => T.BookingStopped.In(language),
        RideStatus.Booked or RideStatus.Accepted or RideStatus.DriverArrived =>
            string.Format((ride.CancelOwed ? T.TaxiBeingCalledOff : T.TaxiCalledOff).In(language), ride.Partner),
        _ => null,
    };

    private static string Clock(DateTimeOffset at) => Week.InBrussels(at).ToString("HH:mm");

    private static string Minutes(TimeSpan elapsed, string language) =>
        $"{Math.Max(0, (int)elapsed.TotalMinutes)} {T.Minutes.In(language)}";
}

/// <summary>The board as shown, every text already in the page's language.</summary>
public sealed record BoardModel(string Language, IReadOnlyList<BoardAlert> Alerts, IReadOnlyList<BoardRide> UnderWay,
    IReadOnlyList<BoardArrival> Arrived, IReadOnlyList<BoardPoliceRequest> PoliceRequests, IReadOnlyList<BoardAccountChange> AccountChanges) : IPageModel<BoardView>;

/// <param name="Call">Whom to call, with the number, when the alert has someone to call.</param>
/// <param name="Answer">Where the answer in writing is posted, for an alert from someone who texted.</param>
public sealed record BoardAlert(string Id, string Code, string Pickup, string Address, string Since, string Kind, string? Call, string? AcknowledgedBy, string? Answer);

/// <param name="Status">The status as the page's script reads it (<c>booked</c>, <c>passenger_on_board</c>…).</param>
/// <param name="Expected">The pickup, or once on board the arrival at the centre, as a labelled clock time.</param>
public sealed record BoardRide(string Id, string Status, string Code, string Pickup, string StatusName, string Expected, string Car, string Since);

/// <param name="ArrivedAt">The hour it arrived: the precision its time is kept at once a ride has ended, so it never changes.</param>
/// <param name="CalledOff">What became of a taxi the arrival called off, if any.</param>
public sealed record BoardArrival(string Id, string Code, string Pickup, string ArrivedAt, string? CalledOff, bool PoliceAsked);

/// <param name="DeliveredAt">The hour the zone received it (the precision it is kept at), or null while it waits to be sent.</param>
public sealed record BoardPoliceRequest(string Id, string Code, string RequestedBy, string? DeliveredAt);

public sealed record BoardAccountChange(string At, string Subject, string Action, string Actor);
