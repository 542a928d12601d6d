using Alice.Accounts;
using Alice.Totals;
using Alice.Dispatch.Campuses;
using Alice.Dispatch.Police;
using Alice.Dispatch.Rides;
using static Alice.Accounts.Html;
using T = Alice.Dispatch.Centre.CentreTexts;

namespace Alice.Dispatch.Centre;

/// <summary>
/// The board: open alerts on top (a ride a person took over is there, by its alert), then every ride under way. Only what the
/// centre needs to expect the passenger: code, pickup point, status, ETA, car. Nothing about the caller,
/// because nothing is stored. Below them, the changes to accounts in the last week, from the audit: the
/// centre sees who was given a login or had a second factor reset (each is texted to the on-call phone too).
/// Rendered on the server, and again every second for the page's script.
/// </summary>
internal sealed class Board(RideStore rides, RideBoard board, AlertStore alerts, PoliceRequests police, CampusDirectory campuses, AuditLog audit, TimeProvider clock)
{
    /// <summary>How far back the board lists account changes.</summary>
    public static readonly TimeSpan AccountChangesShownFor = TimeSpan.FromDays(7);

    /// <summary>How long an arrived ride stays on the board, with its police action.</summary>
    public static readonly TimeSpan ArrivedShownFor = TimeSpan.FromHours(24);

    /// <param name="button">A one-button form posting to an action (with its antiforgery token), from the action and the label.</param>
    public async Task<string> RenderAsync(string language, Func<string, string, string> button, CancellationToken ct)
    {
        var underWay = await board.UnderWayAsync(ct);
        var open = await alerts.OpenAlertsAsync(ct);
        var byId = underWay.ToDictionary(r => r.Id);
        var missing = open.Select(a => a.RideId).Where(id => !byId.ContainsKey(id)).Distinct().ToList();
        if (missing.Count > 0) foreach (var ride in await rides.FindManyAsync(missing, ct)) byId[ride.Id] = ride;
        var now = clock.GetUtcNow();

        var alertItems = open.Select(a =>
        {
            var ride = byId.GetValueOrDefault(a.RideId);
            var taken = a.AcknowledgedBy is null
                ? button($"/centre/alerts/{a.Id}/acknowledge", T.Acknowledge.In(language))
                : $"<span class=\"taken\">{E(T.AcknowledgedBy.In(language))} {E(a.AcknowledgedBy)}</span>";
            return $"""
                <li class="alert" data-alert="{E(a.Id)}"><strong class="code">{E(ride?.BookingCode ?? "—")}</strong>
                <span>{E(ride is null ? "" : PickupName(ride, language))}</span>
                <span>{Minutes(now - a.CreatedAt, language)}</span>
                <p>{E(T.Of(a.Kind).In(language))}</p>
                {taken} {button($"/centre/alerts/{a.Id}/resolve", T.Resolve.In(language))}</li>
                """;
        });
        var rows = underWay.Select(r => $"""
            <tr data-ride="{E(r.Id)}" data-status="{E(r.Status.ToText())}">
            <td class="code">{E(r.BookingCode)}</td><td>{E(PickupName(r, language))}</td><td>{E(T.Of(r.Status, language))}</td>
            <td>{(r.EtaMinutes is { } eta ? $"{eta} {E(T.Minutes.In(language))}" : "—")}</td><td>{E(r.Vehicle ?? "—")}</td>
            <td>{Minutes(now - r.CreatedAt, language)}</td></tr>
            """);

        var arrived = await board.ArrivedSinceAsync(now - ArrivedShownFor, ct);
        var requests = await police.RecentAsync(50, ct);
        var asked = requests.Select(r => r.RideId).ToHashSet();
        var arrivedItems = arrived.Select(r => $"""
            <li><strong class="code">{E(r.BookingCode)}</strong> <span>{E(PickupName(r, language))}</span>
            {(asked.Contains(r.Id) ? "" : $"<a class=\"police\" href=\"/centre/rides/{E(r.Id)}/police\">{E(T.AskPolice.In(language))}</a>")}</li>
            """);
        var requestItems = requests.Select(r => $"""
            <li data-police="{E(r.Id)}"><strong class="code">{E(r.BookingCode)}</strong> {E(T.RequestedBy.In(language))} {E(r.RequestedBy)},
            {(r.DeliveredAt is { } at ? $"<span class=\"delivered\">{E(T.Delivered.In(language))} {Clock(at)}</span>" : $"<span class=\"pending\">{E(T.Pending.In(language))}</span>")}</li>
            """);

        var changes = await audit.ReadAsync(AuditSubject.Account, now - AccountChangesShownFor, 30, ct);
        var changeItems = changes.Select(c => $"""
            <li>{E(TimeZoneInfo.ConvertTime(c.At, Week.Brussels).ToString("dd/MM HH:mm"))} {E(c.Subject)} {E(AccountAction(c.Action, language))} {E(T.By.In(language))} {E(c.Actor)}</li>
            """);

        return $"""
            <section aria-labelledby="alerts-title"><h2 id="alerts-title">{E(T.Alerts.In(language))} ({open.Count})</h2>
            {(open.Count == 0 ? $"<p>{E(T.NoAlerts.In(language))}</p>" : $"<ul class=\"alerts\">{string.Concat(alertItems)}</ul>")}</section>
            <section aria-labelledby="rides-title"><h2 id="rides-title">{E(T.Coming.In(language))} ({underWay.Count})</h2>
            {(underWay.Count == 0 ? $"<p>{E(T.NoRides.In(language))}</p>" : $"""
                <table class="rides"><thead><tr><th>{E(T.Code.In(language))}</th><th>{E(T.Pickup.In(language))}</th><th>{E(T.Status.In(language))}</th>
                <th>{E(T.Eta.In(language))}</th><th>{E(T.Car.In(language))}</th><th>{E(T.Since.In(language))}</th></tr></thead>
                <tbody>{string.Concat(rows)}</tbody></table>
                """)}</section>
            <section aria-labelledby="arrived-title"><h2 id="arrived-title">{E(T.Arrived24h.In(language))} ({arrived.Count})</h2>
            {(arrived.Count == 0 ? $"<p>{E(T.NoneArrived.In(language))}</p>" : $"<ul class=\"arrived\">{string.Concat(arrivedItems)}</ul>")}</section>
            {(requests.Count == 0 ? "" : $"<section aria-labelledby=\"police-title\"><h2 id=\"police-title\">{E(T.PoliceRequests.In(language))}</h2><ul class=\"police-requests\">{string.Concat(requestItems)}</ul></section>")}
            {(changes.Count == 0 ? "" : $"<section aria-labelledby=\"accounts-title\"><h2 id=\"accounts-title\">{E(T.AccountChanges.In(language))}</h2><ul class=\"account-changes\">{string.Concat(changeItems)}</ul></section>")}
            """;
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
        $"{Math.Max(0, (int)elapsed.TotalMinutes)} {E(T.Minutes.In(language))}";
}
