namespace Alice.Dispatch.Rides;

/// <summary>
/// The one writer of new rides (group commit). A caller's choice is queued here; a single loop takes
/// everything queued, writes it in one durable transaction, tells <see cref="IRidesWritten"/> (the booking
/// queue) about the whole batch, and answers each caller. Concurrent callers share
/// one sync to disk instead of queueing for SQLite's write lock one by one, which is what keeps the
/// booking step fast under a burst of calls.
/// </summary>
internal sealed class RideWriter(RideStore rides, IRidesWritten written) : BatchLoop<RideWriter.Pending>(MaxBatch)
{
    /// <summary>Bounds one transaction, so a huge burst is written in several short ones.</summary>
    private const int MaxBatch = 64;

    internal sealed record Pending(RideRequest Request, CallerAnswer Answer, TaskCompletionSource<Ride> Done);

    /// <summary>Every booking code is held by an active ride: this caller needs a person, the others in the batch are booked.</summary>
    internal sealed class BookingCodesExhaustedException() : Exception("Every booking code is held by an active ride.");

    /// <summary>The call has ended: a request for it is a replayed webhook, and books nothing.</summary>
    internal sealed class CallEndedException() : Exception("The call has ended; it books no ride.");

    /// <summary>
    /// The ride for this request once it is on disk (a retry of the same call finds the ride its first
    /// attempt made). Cancelled, with no ride written, when the caller was bridged to a person first
    /// (<paramref name="answer"/> given up): before the write started, or before it committed.
    /// </summary>
    public Task<Ride> WriteAsync(RideRequest request, CallerAnswer answer)
    {
        var done = new TaskCompletionSource<Ride>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!TryQueue(new Pending(request, answer, done)))
            done.SetException(new InvalidOperationException("The service is stopping; no ride can be written."));
        return done.Task;
    }

    /// <summary>Once stopping, what callers already queued is still written (they wait for their code); anything new is refused.</summary>
    protected override async Task HandleAsync(List<Pending> queued)
    {
        // A caller bridged to a person while this waited in the queue books nothing: nobody would hear its code.
        foreach (var gone in queued.Where(p => p.Answer.GivenUp.IsCancellationRequested)) gone.Done.TrySetCanceled(gone.Answer.GivenUp);
        var batch = queued.Where(p => !p.Answer.GivenUp.IsCancellationRequested).ToList();
        if (batch.Count == 0) return;
        IReadOnlyList<(Ride? Ride, bool Created, bool CallEnded)> rows;
        try
        {
            // Not cancellable: a caller who pressed a key gets a whole ride or a clear failure, never half of one.
            // Each caller's answer is taken just before the commit: one bridged meanwhile has their ride left out.
            rows = await rides.InsertOrGetAsync(batch.Select(p => p.Request).ToList(), CancellationToken.None, i => batch[i].Answer.TryCommit());
        }
        catch (Exception e)
        {
            foreach (var pending in batch) pending.Done.TrySetException(e);
            return;
        }

        // On disk: the callers can hear their codes. Their first tries start next, off their path, in the booking queue.
        written.Written(rows.Where(r => r.Ride is not null).Select(r => (r.Ride!, r.Created)).ToList());
        for (var i = 0; i < batch.Count; i++)
        {
            if (rows[i].Ride is { } ride) batch[i].Done.TrySetResult(ride);
            else if (batch[i].Answer.GivenUp.IsCancellationRequested) batch[i].Done.TrySetCanceled(batch[i].Answer.GivenUp);
            else batch[i].Done.TrySetException(rows[i].CallEnded ? new CallEndedException() : new BookingCodesExhaustedException());
        }
    }
}

/// <summary>
/// Told about every batch of rides the writer put on disk (the booking area schedules their booking).
/// Declared here so that rides depend on nothing that depends on them.
/// </summary>
internal interface IRidesWritten
{
    /// <summary>Must not block or throw: the callers are answered right after.</summary>
    void Written(IReadOnlyList<(Ride Ride, bool Created)> rides);
}
