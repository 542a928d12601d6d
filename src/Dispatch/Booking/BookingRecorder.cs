using Alice.Dispatch.Rides;

namespace Alice.Dispatch.Booking;

/// <summary>
/// Records partners' bookings of rides, those that arrive together in one transaction (group commit, as
/// the ride writer does for new rides). Under a burst of calls every first try ends with a booking to
/// record: one transaction each kept as many database connections busy as tries in flight, and on
/// PostgreSQL they took the processor from the ride writer the callers wait on.
/// </summary>
internal sealed class BookingRecorder(RideTransitions transitions) : BatchLoop<BookingRecorder.Pending>(MaxBatch)
{
    private const int MaxBatch = 64;

    internal sealed record Pending(RideStore.PartnerBooking Booking, TaskCompletionSource<RideTransitions.Recorded> Done);

    /// <summary>Records that the partner holds the waiting ride's booking, unless that booking was given up before.</summary>
    public Task<RideTransitions.Recorded> RecordAsync(string rideId, string partner, string bookingId, int? etaMinutes, CancellationToken ct)
    {
        var done = new TaskCompletionSource<RideTransitions.Recorded>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!TryQueue(new Pending(new(rideId, partner, bookingId, etaMinutes), done)))
            done.SetException(new InvalidOperationException("The service is stopping; no booking can be recorded."));
        // The batch's transaction is not cancelled: a caller who stops waiting leaves it to complete.
        return done.Task.WaitAsync(ct);
    }

    protected override async Task HandleAsync(List<Pending> batch)
    {
        try
        {
            var results = await transitions.RecordBookingsAsync(batch.Select(p => p.Booking).ToList(), CancellationToken.None);
            for (var i = 0; i < batch.Count; i++) batch[i].Done.TrySetResult(results[i]);
        }
        catch (Exception e)
        {
            foreach (var pending in batch) pending.Done.TrySetException(e);
        }
    }
}
