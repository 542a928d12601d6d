using Alice.Accounts;
using Alice.Dispatch.Police;
using Alice.Dispatch.Rides;
using Alice.Dispatch.Storage;
using Alice.Dispatch.Totals;
using Alice.Totals;

namespace Alice.Dispatch.Centre;

/// <summary>What a centre action came to, in words the console shows.</summary>
internal enum DeskOutcome { Done, NotFound, NotNow, AlreadyArrived }

/// <summary>
/// What the centre's staff do from the console: acknowledge and resolve alerts, mark a passenger arrived.
/// Each action and its audit entry are one transaction: there is no action without its "who and when".
/// </summary>
internal sealed class CentreDesk(Database database, RideStore rides, RideMoves moves, AlertStore alerts, PoliceRequests police, AuditLog audit, WeeklyTotals totals,
    IWrittenReplies written, TimeProvider clock)
{
    /// <summary>
    /// The centre answers someone who texted, in writing: the service sends it to the number it holds, which the
    /// centre never sees; the answer is audited (who, when: never the words) and takes the alert. NotNow when the
    /// conversation is over. Twilio's failure is the caller's to report (nothing is recorded then).
    /// </summary>
    public async Task<DeskOutcome> AnswerInWritingAsync(string alertId, string text, string by, CancellationToken ct)
    {
        var alert = (await alerts.OpenAlertsAsync(ct)).FirstOrDefault(a => a.Id == alertId);
        if (alert is null) return DeskOutcome.NotFound;
        if (WrittenAlerts.Parse(alert.RideId) is not { } about || !await written.SendAsync(about.ConversationId, text, ct)) return DeskOutcome.NotNow;
        await using var connection = await database.OpenAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        await alerts.AcknowledgeAsync(tx, alertId, by, ct);
        await audit.WriteAsync(tx, by, AuditAction.AlertAnsweredInWriting, alertId, ct);
        await tx.CommitAsync(ct);
        return DeskOutcome.Done;
    }

    public Task<DeskOutcome> AcknowledgeAsync(string alertId, string by, CancellationToken ct) =>
        AlertActionAsync(alertId, by, AuditAction.AlertAcknowledged, alerts.AcknowledgeAsync, ct);

    public Task<DeskOutcome> ResolveAsync(string alertId, string by, CancellationToken ct) =>
        AlertActionAsync(alertId, by, AuditAction.AlertResolved, alerts.ResolveAsync, ct);

    /// <summary>
    /// The passenger with this booking code is at the centre: the ride ends and its code is free again,
    /// whatever the ride's state: under way (a booking still being made, or a taxi not yet with the passenger,
    /// is called off: see <see cref="RideMoves.ArriveAsync"/>), or taken over by a person while its alert is
    /// open. A code that arrived lately is answered with its ride (<see cref="DeskOutcome.AlreadyArrived"/>).
    /// </summary>
    public async Task<(DeskOutcome Outcome, Ride? Ride)> ArriveAsync(string code, string by, CancellationToken ct)
    {
        var ride = await rides.FindArrivingByCodeAsync(code, ct);
        if (ride is null)
            return await rides.FindArrivedByCodeAsync(code, clock.GetUtcNow() - Board.ArrivedShownFor, ct) is { } arrived
                ? (DeskOutcome.AlreadyArrived, arrived) : (DeskOutcome.NotFound, null);
        if (!ride.State.Takes(RideEvent.ArrivedAtCentre)) return (DeskOutcome.NotNow, ride);
        await using var connection = await database.OpenAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        if (!await moves.ArriveAsync(tx, ride, ct)) return (DeskOutcome.NotNow, ride);
        await alerts.ResolveForRideAsync(tx, ride.Id, by, ct);
        await audit.WriteAsync(tx, by, AuditAction.RideArrived, ride.BookingCode, ct);
        await tx.CommitAsync(ct);
        return (DeskOutcome.Done, ride);
    }

    /// <summary>
    /// The victim, at the centre, asks for the police: only for a ride that has arrived, once. The request
    /// its audit entry and its count are one transaction; the delivery job sends it to the campus's zone.
    /// </summary>
    public async Task<DeskOutcome> RequestPoliceAsync(string rideId, string by, CancellationToken ct)
    {
        var ride = await rides.FindAsync(rideId, ct);
        if (ride is null) return DeskOutcome.NotFound;
        if (ride.Status != RideStatus.DroppedOff) return DeskOutcome.NotNow;
        await using var connection = await database.OpenAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        if (!await police.CreateAsync(tx, ride.Id, ride.BookingCode, ride.CampusId, by, ct)) return DeskOutcome.NotNow;
        await audit.WriteAsync(tx, by, AuditAction.PoliceRequested, ride.BookingCode, ct);
        await totals.CountAsync(tx, ride.CampusId, Measure.PoliceRequests, ct);
        await tx.CommitAsync(ct);
        return DeskOutcome.Done;
    }

    private async Task<DeskOutcome> AlertActionAsync(string alertId, string by, AuditAction action,
        Func<System.Data.Common.DbTransaction, string, string, CancellationToken, Task<bool>> change, CancellationToken ct)
    {
        var alert = (await alerts.OpenAlertsAsync(ct)).FirstOrDefault(a => a.Id == alertId);
        if (alert is null) return DeskOutcome.NotFound;
        var ride = await rides.FindAsync(alert.RideId, ct);
        await using var connection = await database.OpenAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        if (!await change(tx, alertId, by, ct)) return DeskOutcome.NotNow;
        await audit.WriteAsync(tx, by, action, ride?.BookingCode ?? alertId, ct);
        await tx.CommitAsync(ct);
        return DeskOutcome.Done;
    }
}
