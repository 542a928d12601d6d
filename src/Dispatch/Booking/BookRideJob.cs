using Alice.Dispatch.Rides;
using Quartz;

namespace Alice.Dispatch.Booking;

/// <summary>
/// Books rides, one <see cref="BookingRun"/> at a time each. A job for one ride runs again itself for as
/// long as the ride needs it. A job for several new rides (callers who pressed their key together, written
/// in one batch) runs each of them once, side by side, and gives a ride that needs more a job of its own:
/// one job for a burst of calls instead of one per call keeps the job store's work per booking small.
/// Holds only ride ids.
/// </summary>
[DisallowConcurrentExecution]
internal sealed class BookRideJob(RideStore rides, BookingRun run, BookingScheduler scheduler, ILogger<BookRideJob> logger) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken ct)
    {
        var rideIds = BookingScheduler.RideIdsOf(context.JobDetail);
        if (!BookingScheduler.IsGroup(context.JobDetail))
        {
            if (await rides.FindAsync(rideIds[0], ct) is { } ride
                && await run.RunAsync(ride, BookingScheduler.AttemptOf(context), ct) is { } next
                && !await scheduler.RunAgainAsync(context, next.Delay, next.Attempt, ct))
                LogStopping(ride.Id);
            return;
        }
        await Task.WhenAll((await rides.FindManyAsync(rideIds, ct)).Select(ride => RunInGroupAsync(context, ride, ct)));
    }

    private async Task RunInGroupAsync(IJobExecutionContext context, Ride ride, CancellationToken ct)
    {
        // Run again after a crash: a ride this group had already given a job of its own is that job's.
        if (context.Recovering && await scheduler.HasOwnJobAsync(ride.Id, ct)) return;
        if (await run.RunAsync(ride, 0, ct) is { } next
            && !await scheduler.ScheduleOwnJobAsync(context, ride.Id, next.Delay, next.Attempt, ct))
            LogStopping(ride.Id);
    }

    /// <summary>The ride stays requested, and the sweep books it after the restart.</summary>
    private void LogStopping(string rideId) =>
        logger.LogWarning("Ride {RideId} not booked before shutdown; it is booked after the restart", rideId);
}
