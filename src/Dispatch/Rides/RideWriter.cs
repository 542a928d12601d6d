using Alice.Dispatch.Partners;

namespace Alice.Dispatch.Rides;

/// <summary>
/// The one writer of new rides (group commit). A caller's choice is queued here; a single loop takes
/// everything queued, writes it in one durable transaction, hands the rides to the
/// <see cref="BookingQueue"/> for their booking job, and answers each caller. Concurrent callers share
/// one sync to disk instead of queueing for SQLite's write lock one by one, which is what keeps the
/// booking step fast under a burst of calls.
/// </summary>
internal sealed class RideWriter(RideStore rides, BookingQueue bookings) : BatchLoop<RideWriter.Pending>(MaxBatch)
{
    /// <summary>Bounds one transaction, so a huge burst is written in several short ones.</summary>
    private const int MaxBatch = 64;

    internal sealed record Pending(RideRequest Request, TaskCompletionSource<Ride> Done);

    /// <summary>Every booking code is held by an active ride: this caller needs a person, the others in the batch are booked.</summary>
    internal sealed class BookingCodesExhaustedException() : Exception("Every booking code is held by an active ride.");

    /// <summary>The ride for this request, once it is on disk and queued for its booking job.</summary>
    public Task<Ride> WriteAsync(RideRequest request)
    {
        var done = new TaskCompletionSource<Ride>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!TryQueue(new Pending(request, done)))
            done.SetException(new InvalidOperationException("The service is stopping; no ride can be written."));
        return done.Task;
    }

    /// <summary>Once stopping, what callers already queued is still written (they wait for their code); anything new is refused.</summary>
    protected override async Task HandleAsync(List<Pending> batch)
    {
        IReadOnlyList<(Ride? Ride, bool Created)> written;
        try
        {
            // Not cancellable: a caller who pressed a key gets a whole ride or a clear failure, never half of one.
            written = await rides.InsertOrGetAsync(batch.Select(p => p.Request).ToList(), CancellationToken.None);
        }
        catch (Exception e)
        {
            foreach (var pending in batch) pending.Done.TrySetException(e);
            return;
        }

        // On disk: the callers can hear their codes. Their booking jobs are scheduled next, off their path.
        bookings.Add(
            written.Where(w => w.Created).Select(w => w.Ride!.Id),
            // A retried request finds its ride already there; its job normally exists too, but if the
            // first attempt stopped before scheduling, this is where the ride gets it.
            written.Where(w => w is { Created: false, Ride.Status: RideStatus.Requested }).Select(w => w.Ride!.Id));
        for (var i = 0; i < batch.Count; i++)
        {
            if (written[i].Ride is { } ride) batch[i].Done.TrySetResult(ride);
            else batch[i].Done.TrySetException(new BookingCodesExhaustedException());
        }
    }
}
