using System.Collections.Concurrent;
using Alice.Dispatch.Rides;

namespace Alice.Dispatch.Booking;

/// <summary>
/// Rides whose callers already have their code, on their way into the job store. The ride writer hands
/// rides over here once they are on disk, so a caller does not wait for the job store (which the booking
/// jobs keep busy under a burst of calls). Nothing is lost if the process dies first: the rides are on
/// disk, waiting, and the booking sweep gives them a job at the next start.
/// </summary>
internal sealed class BookingQueue(BookingScheduler scheduler, ILogger<BookingQueue> logger) : BatchLoop<(string RideId, bool IsNew)>(MaxGroup), IRidesWritten
{
    /// <summary>Rides one booking job runs side by side at most; a longer queue is split.</summary>
    private const int MaxGroup = 64;

    private readonly ConcurrentDictionary<string, byte> _pending = new();

    /// <summary>
    /// New rides, and rides a retried request found still waiting: its job normally exists too, but if the
    /// first attempt stopped before scheduling, this is where the ride gets it. A ride already here is not added twice.
    /// </summary>
    public void Written(IReadOnlyList<(Ride Ride, bool Created)> rides)
    {
        foreach (var (ride, created) in rides)
            if ((created || ride.Status == RideStatus.Requested) && _pending.TryAdd(ride.Id, 0) && !TryQueue((ride.Id, created)))
                _pending.TryRemove(ride.Id, out _);
    }

    /// <summary>Whether the ride is still on its way: the sweep leaves it to this queue.</summary>
    public bool IsPending(string rideId) => _pending.ContainsKey(rideId);

    /// <summary>Once stopping, what is already here is scheduled while the job store still runs; later rides wait for the sweep.</summary>
    protected override async Task HandleAsync(List<(string RideId, bool IsNew)> batch)
    {
        try
        {
            await scheduler.ScheduleNewAsync(batch.Where(b => b.IsNew).Select(b => b.RideId).ToList(), CancellationToken.None);
            await scheduler.EnsureScheduledAsync(batch.Where(b => !b.IsNew).Select(b => b.RideId).ToList(), CancellationToken.None);
        }
        catch (Exception e)
        {
            // Only the type is logged: nothing about a caller is in it.
            logger.LogError("Scheduling the booking of {Count} rides failed ({Error}); the booking sweep will schedule them", batch.Count, e.GetType().Name);
        }
        finally
        {
            foreach (var (id, _) in batch) _pending.TryRemove(id, out _);
        }
    }
}
