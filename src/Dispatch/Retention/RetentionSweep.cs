using Alice.Dispatch.Booking;
using Alice.Dispatch.Centre;
using Alice.Dispatch.Partners;
using Alice.Dispatch.Police;
using Alice.Dispatch.Rides;
using Alice.Dispatch.Storage;
using Microsoft.Extensions.Options;
using Quartz;
using Alice.Dispatch.Telemetry;

namespace Alice.Dispatch.Retention;

/// <summary>
/// One look of the retention job: call keys whose status callback never came leave their rides; rides
/// long overdue end (their codes free); ended rides keep their times to the hour only; rides whose time is up are deleted with everything held for
/// them (alerts, ledger rows, a delivered police request, their booking job and any cancel still retried), and so are the staff's audit
/// entries about rides written as long ago (<see cref="RideAudit"/>). The organisers' totals are not touched: they never pointed
/// to a ride. Then the database is made to drop the deleted bytes.
/// </summary>
internal sealed class RetentionSweep(
    Database database, EndedCalls endedCalls, RideMoves moves, RideRetention rides, AlertStore alerts, PartnerLedger ledger, PoliceRequests police,
    ISchedulerFactory schedulers, IOptions<RetentionOptions> options, TimeProvider clock, ILogger<RetentionSweep> logger)
{
    public async Task<int> RunAsync(CancellationToken ct)
    {
        var o = options.Value;
        var now = clock.GetUtcNow();
        var forgotten = await endedCalls.AddStaleAsync(now - o.ForgetCallAfter, o.EndedCallUntil(now), ct);
        var overdue = await moves.EndOverdueAsync(now - o.EndUnfinishedAfter, ct);
        var changed = forgotten + overdue + await rides.CoarsenEndedAsync(ct) + await alerts.CoarsenEndedAsync(ct) + await police.CoarsenDeliveredAsync(ct);

        // A police request not delivered yet keeps its ride: the zone must still be told.
        var undelivered = await police.UndeliveredRideIdsAsync(ct);
        var ids = (await rides.ExpiredIdsAsync(now - o.DeleteAfterEnd, now - o.MaxAge, ct)).Where(id => !undelivered.Contains(id)).ToList();
        await using (var connection = await database.OpenAsync(ct))
        {
            await using var tx = await connection.BeginTransactionAsync(ct);
            await alerts.DeleteForRidesAsync(tx, ids, ct);
            await police.DeleteForRidesAsync(tx, ids, ct);
            await ledger.ForgetAsync(tx, ids, now - o.DeleteAfterEnd, ct);
            await rides.DeleteAsync(tx, ids, ct);
            changed += ids.Count + await endedCalls.ForgetExpiredAsync(tx, now, ct) + await RideAudit.DeleteAsync(tx, now - o.DeleteAfterEnd, ct);
            await tx.CommitAsync(ct);
            DispatchTelemetry.RidesDeleted(ids.Count);
        }
        await BookingScheduler.ForgetAsync(await schedulers.GetScheduler(ct), ids, ct);
        // Every look that changed something: what was rewritten or deleted leaves the files now.
        if (changed > 0) await database.ScrubDeletedAsync(ct);
        if (ids.Count > 0 || forgotten > 0 || overdue > 0)
            logger.LogInformation("Retention: {Deleted} rides deleted, {Overdue} overdue rides ended, {Forgotten} call keys forgotten without a status callback",
                ids.Count, overdue, forgotten);
        return ids.Count;
    }
}
