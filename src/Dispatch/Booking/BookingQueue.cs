using System.Collections.Concurrent;
using Alice.Dispatch.Rides;

namespace Alice.Dispatch.Booking;

/// <summary>
/// Rides whose callers already have their code, on their way to a partner. The ride writer hands rides
/// over here once they are on disk; each new ride's first run starts here at once, in this process,
/// instead of waiting for the job store to store and fire a job (most of the time from key press to
/// partner, when it did). Only a ride that needs another run gets a durable job. Nothing is lost if the
/// process dies first: the rides are on disk, waiting, and the booking sweep (of this instance after the
/// restart, or of another one within its interval) gives them a job.
/// </summary>
internal sealed class BookingQueue(BookingRun run, BookingScheduler scheduler, ILogger<BookingQueue> logger)
    : BatchLoop<(Ride Ride, bool IsNew)>(MaxBatch), IRidesWritten
{
    private const int MaxBatch = 64;

    /// <summary>
    /// First runs in flight at most (each mostly waits on a partner's answer); beyond, the queue waits for
    /// one to end, and the rides wait on disk.
    /// </summary>
    private const int MaxRunning = 256;

    private readonly ConcurrentDictionary<string, byte> _pending = new();
    private readonly SemaphoreSlim _slots = new(MaxRunning);
    /// <summary>Cancelled only when the host's time to stop runs out: runs still going are left to the sweep.</summary>
    private readonly CancellationTokenSource _abandon = new();
    private readonly Lock _lock = new();
    private Task? _stopping;

    /// <summary>
    /// New rides, and rides a retried request found still waiting: its job normally exists too, but if the
    /// first attempt stopped before scheduling, this is where the ride gets it. A ride already here is not added twice.
    /// </summary>
    public void Written(IReadOnlyList<(Ride Ride, bool Created)> rides)
    {
        foreach (var (ride, created) in rides)
            if ((created || ride.Status == RideStatus.Requested) && _pending.TryAdd(ride.Id, 0) && !TryQueue((ride, created)))
                _pending.TryRemove(ride.Id, out _);
    }

    /// <summary>
    /// The waiting rides <paramref name="readWaiting"/> finds, less those on their way here or in their
    /// first run: the sweep leaves those to this queue. The rides pending are noted before the read, not
    /// only after it: a first run that books its ride while the read runs is no longer pending afterwards,
    /// yet the read saw the ride still waiting. One that ended without booking is waiting at the next sweep.
    /// </summary>
    public async Task<IReadOnlyList<string>> NotPendingAsync(Func<CancellationToken, Task<IReadOnlyList<string>>> readWaiting, CancellationToken ct)
    {
        var before = _pending.Keys.ToHashSet();
        var waiting = await readWaiting(ct);
        return waiting.Where(id => !before.Contains(id) && !_pending.ContainsKey(id)).ToList();
    }

    protected override async Task HandleAsync(List<(Ride Ride, bool IsNew)> batch)
    {
        foreach (var (ride, isNew) in batch)
        {
            if (!isNew) continue;
            await _slots.WaitAsync();
            _ = BookFirstAsync(ride);
        }
        var retried = batch.Where(b => !b.IsNew).Select(b => b.Ride.Id).ToList();
        try
        {
            await scheduler.EnsureScheduledAsync(retried, CancellationToken.None);
        }
        catch (Exception e)
        {
            // Only the type is logged: nothing about a caller is in it.
            logger.LogError("Scheduling the booking of {Count} rides failed ({Error}); the booking sweep will schedule them", retried.Count, e.GetType().Name);
        }
        finally
        {
            foreach (var id in retried) _pending.TryRemove(id, out _);
        }
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
            logger.LogError("Booking ride {RideId} failed ({Error}); the booking sweep will schedule it", ride.Id, e.GetType().Name);
        }
        finally
        {
            _pending.TryRemove(ride.Id, out _);
            _slots.Release();
        }
    }

    /// <summary>
    /// Once (the host may stop its services twice): what is already queued starts, and every first run
    /// ends, while the job store still runs, so a ride that needs another run gets its job.
    /// </summary>
    public override Task StopAsync(CancellationToken ct)
    {
        lock (_lock) return _stopping ??= StopOnceAsync(ct);
    }

    private async Task StopOnceAsync(CancellationToken ct)
    {
        await base.StopAsync(ct);
        await using var abandon = ct.Register(_abandon.Cancel);
        // Every slot free again means every first run has ended.
        for (var i = 0; i < MaxRunning; i++) await _slots.WaitAsync(CancellationToken.None);
    }
}
