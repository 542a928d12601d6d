using Alice.Dispatch.Rides;
using Quartz;

namespace Alice.Dispatch.Booking;

/// <summary>
/// Books one ride, one <see cref="BookingRun"/> at a time, running again itself for as long as the ride
/// needs it. Named after the ride; holds nothing else.
/// </summary>
[DisallowConcurrentExecution]
internal sealed class BookRideJob(RideStore rides, BookingRun run, BookingScheduler scheduler) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken ct)
    {
        if (await rides.FindAsync(context.JobDetail.Key.Name, ct) is { } ride
            && await run.RunAsync(ride, BookingScheduler.AttemptOf(context), ct) is { } next)
            await scheduler.BookAgainAsync(ride.Id, next, context, ct);
    }
}
