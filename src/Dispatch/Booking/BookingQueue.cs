using Alice.Dispatch.Rides;

namespace Alice.Dispatch.Booking;

/// <summary>
/// Rides whose callers already have their code, on their way to a partner. The booking desk hands each ride
/// over here once it is on disk, and its first run starts at once, in this process, instead of waiting for
/// the job store to store and fire a job (most of the time from key press to partner, when it did). Only a
/// ride that needs another run gets a durable job. Nothing is lost if the process dies first: the ride is on
/// disk, waiting, and the booking sweep (of this instance after the restart, or of another one within its
/// interval) gives it a job. At this service's load (the abuse limits allow a campus 30 new rides in ten
/// minutes) a handful of first runs are in flight at most.
/// </summary>
internal sealed class BookingQueue(BookingRun run, BookingScheduler scheduler, ILogger<BookingQueue> logger) : IHostedService
{
    private readonly Lock _lock = new();
    /// <summary>The rides whose first run (or, for a retried request, whose job's scheduling) is under way.</summary>
    private readonly Dictionary<string, Task> _running = [];
    /// <summary>Cancelled only when the host's time to stop runs out: runs still going are left to the sweep.</summary>
    private readonly CancellationTokenSource _abandon = new();
    private bool _stopping;

    /// <summary>
    /// A new ride starts its first run; a ride a retried request found still waiting gets its job, which it
    /// normally has already (but the first attempt may have stopped before scheduling). A ride already here,
    /// or one that arrives while the service stops, is left alone: the sweep books it.
    /// </summary>
    public void Add(Ride ride, bool created)
    {
        if (!created && ride.Status != RideStatus.Requested) return;
        lock (_lock)
        {
            if (_stopping || _running.ContainsKey(ride.Id)) return;
            var work = new Task<Task>(() => created ? BookFirstAsync(ride) : ScheduleAsync(ride.Id));
            _running.Add(ride.Id, work.Unwrap());
            work.Start(TaskScheduler.Default);
        }
    }

    /// <summary>
    /// The waiting rides <paramref name="readWaiting"/> finds, less those here: the sweep leaves those to this
    /// queue. The rides here are noted before the read, not only after it: a first run that books its ride while
    /// the read runs is gone afterwards, yet the read saw the ride still waiting. One that ended without booking
    /// is waiting at the next sweep.
    /// </summary>
    public async Task<IReadOnlyList<string>> NotPendingAsync(Func<CancellationToken, Task<IReadOnlyList<string>>> readWaiting, CancellationToken ct)
    {
        HashSet<string> before;
        lock (_lock) before = _running.Keys.ToHashSet();
        var waiting = await readWaiting(ct);
        lock (_lock) return waiting.Where(id => !before.Contains(id) && !_running.ContainsKey(id)).ToList();
    }

    /// <summary>The ride's first run; a ride that needs another gets its job. Never throws: the sweep is the fallback.</summary>
    private async Task BookFirstAsync(Ride ride)
    {
        try
        {
            if (await run.RunAsync(ride, 0, _abandon.Token) is { } next)
                await scheduler.BookAgainAsync(ride.Id, next, job: null, CancellationToken.None);
        }
        catch (OperationCanceledException) when (_abandon.IsCancellationRequested)
        {
            scheduler.LeftForRestart(ride.Id);
        }
        catch (Exception e)
        {
            // Only the type is logged: nothing about a caller is in it.
            logger.LogError("Booking ride {RideId} failed ({Error}); the booking sweep will schedule it", ride.Id, e.GetType().Name);
        }
        finally
        {
            lock (_lock) _running.Remove(ride.Id);
        }
    }

    private async Task ScheduleAsync(string rideId)
    {
        try
        {
            await scheduler.EnsureScheduledAsync([rideId], CancellationToken.None);
        }
        catch (Exception e)
        {
            logger.LogError("Scheduling the booking of ride {RideId} failed ({Error}); the booking sweep will schedule it", rideId, e.GetType().Name);
        }
        finally
        {
            lock (_lock) _running.Remove(rideId);
        }
    }

    public Task StartAsync(CancellationToken ct) => Task.CompletedTask;

    /// <summary>
    /// Nothing new starts, and every first run ends while the job store still runs (this stops before it),
    /// so a ride that needs another run gets its job. Harmless twice (the host may stop its services twice).
    /// </summary>
    public async Task StopAsync(CancellationToken ct)
    {
        Task[] running;
        lock (_lock)
        {
            _stopping = true;
            running = [.. _running.Values];
        }
        await using var abandon = ct.Register(_abandon.Cancel);
        await Task.WhenAll(running);
    }
}
