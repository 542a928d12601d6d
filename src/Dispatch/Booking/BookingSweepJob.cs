using Alice.Dispatch.Rides;
using Quartz;

namespace Alice.Dispatch.Booking;

/// <summary>Gives every ride still waiting for a partner its booking job, if it has none.</summary>
[DisallowConcurrentExecution]
internal sealed class BookingSweepJob(RideStore rides, BookingScheduler scheduler, BookingQueue queue, ILogger<BookingSweepJob> logger) : IJob
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
    }
}
