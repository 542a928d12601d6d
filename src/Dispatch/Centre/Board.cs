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
internal sealed class Board(RideStore rides, RideBoard board, AlertStore alerts, PoliceRequests police, CampusDirectory campuses, AuditLog audit, TimeProvider clock)
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

        return new BoardModel(language,
            [.. open.Select(a =>
            {
                var ride = byId.GetValueOrDefault(a.RideId);
                return new BoardAlert(a.Id, ride?.BookingCode ?? "—", ride is null ? "" : PickupName(ride, language), Minutes(now - a.CreatedAt, language),
                    T.Of(a.Kind).In(language), a.AcknowledgedBy);
            })],
            [.. underWay.Select(r => new BoardRide(r.Id, r.Status.ToText(), r.BookingCode, PickupName(r, language), T.Of(r.Status, language),
                r.EtaMinutes is { } eta ? $"{eta} {T.Minutes.In(language)}" : "—", r.Vehicle ?? "—", Minutes(now - r.CreatedAt, language)))],
            [.. arrived.Select(r => new BoardArrival(r.Id, r.BookingCode, PickupName(r, language), PoliceAsked: asked.Contains(r.Id)))],
            [.. requests.Select(r => new BoardPoliceRequest(r.Id, r.BookingCode, r.RequestedBy, r.DeliveredAt is { } at ? Clock(at) : null))],
            [.. changes.Select(c => new BoardAccountChange(
                TimeZoneInfo.ConvertTime(c.At, Week.Brussels).ToString("dd/MM HH:mm"), c.Subject, AccountAction(c.Action, language), c.Actor))]);
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

    private static string Clock(DateTimeOffset at) => TimeZoneInfo.ConvertTime(at, Week.Brussels).ToString("HH:mm");

    private static string Minutes(TimeSpan elapsed, string language) =>
        $"{Math.Max(0, (int)elapsed.TotalMinutes)} {T.Minutes.In(language)}";
}

/// <summary>The board as shown, every text already in the page's language.</summary>
public sealed record BoardModel(string Language, IReadOnlyList<BoardAlert> Alerts, IReadOnlyList<BoardRide> UnderWay,
    IReadOnlyList<BoardArrival> Arrived, IReadOnlyList<BoardPoliceRequest> PoliceRequests, IReadOnlyList<BoardAccountChange> AccountChanges) : IPageModel<BoardView>;

public sealed record BoardAlert(string Id, string Code, string Pickup, string Since, string Kind, string? AcknowledgedBy);

/// <param name="Status">The status as the page's script reads it (<c>booked</c>, <c>passenger_on_board</c>…).</param>
public sealed record BoardRide(string Id, string Status, string Code, string Pickup, string StatusName, string Eta, string Car, string Since);

public sealed record BoardArrival(string Id, string Code, string Pickup, bool PoliceAsked);

/// <param name="DeliveredAt">The Brussels time the zone received it, or null while it waits to be sent.</param>
public sealed record BoardPoliceRequest(string Id, string Code, string RequestedBy, string? DeliveredAt);

public sealed record BoardAccountChange(string At, string Subject, string Action, string Actor);
