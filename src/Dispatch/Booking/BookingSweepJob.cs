using Alice.Dispatch.Rides;
using Quartz;

namespace Alice.Dispatch.Booking;

/// <summary>
/// Gives every ride still waiting for a partner its booking job, if it has none, and asks for the
/// cancellation of every booking the centre called off by marking its passenger arrived.
/// </summary>
[DisallowConcurrentExecution]
internal sealed class BookingSweepJob(RideStore rides, RideMoves moves, BookingScheduler scheduler, BookingQueue queue, ILogger<BookingSweepJob> logger) : IJob
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(15);

    /// <summary>The sweep's job, and its one trigger, go by this name.</summary>
    public static readonly JobKey Key = new("booking-sweep");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken ct)
    {
        // Rides still in the queue, or in their first try, are the queue's: it gives them a job if they need one.
        var waiting = await queue.NotPendingAsync(rides.WaitingIdsAsync, ct);
        var rescheduled = await scheduler.EnsureScheduledAsync(waiting, ct);
        if (rescheduled > 0) logger.LogWarning("Gave {Count} rides waiting for a partner their booking job again", rescheduled);

        // The arrival is recorded first, the cancellation asked for here: a crash in between leaves it owed, not lost.
        // A sweep that dies before clearing the debt asks again: the job is keyed by the booking and the partner's
        // cancel by the ride's key, so the partner cancels once.
        foreach (var owed in await moves.CancelsOwedAsync(ct))
        {
            await scheduler.ScheduleCancelAsync(owed.Partner, owed.BookingId, owed.RideId, ct);
            await moves.CancelAskedAsync(owed.RideId, ct);
            logger.LogInformation("Ride {RideId} arrived at the centre before its taxi: cancelling {Partner}'s booking", owed.RideId, owed.Partner);
        }
    }
}
