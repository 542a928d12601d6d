using System.Threading.Channels;

namespace Alice.Dispatch;

/// <summary>
/// A background loop that takes whatever has been queued, up to a bound, and handles it as one batch:
/// the ride writer (one transaction for the callers waiting), the booking queue (the first tries of
/// the rides written together, and one look at the job store for those a retried request found waiting)
/// and the booking recorder (one transaction for the bookings partners gave meanwhile). On stop, what is
/// already queued is still handled; nothing new is taken.
/// </summary>
internal abstract class BatchLoop<T>(int maxBatch) : BackgroundService
{
    private readonly Channel<T> _queue = Channel.CreateUnbounded<T>(new() { SingleReader = true });

    /// <summary>False once the service is stopping: the item will not be handled.</summary>
    protected bool TryQueue(T item) => _queue.Writer.TryWrite(item);

    /// <summary>Handles one batch. Whatever goes wrong is reported to those waiting on it, not thrown.</summary>
    protected abstract Task HandleAsync(List<T> batch);

    protected override async Task ExecuteAsync(CancellationToken stopping)
    {
        var batch = new List<T>(maxBatch);
        // Not cancelled on stop: the loop ends once the queue is completed and empty.
        while (await _queue.Reader.WaitToReadAsync(CancellationToken.None))
        {
            batch.Clear();
            while (batch.Count < maxBatch && _queue.Reader.TryRead(out var next)) batch.Add(next);
            await HandleAsync(batch);
        }
    }

    public override Task StopAsync(CancellationToken ct)
    {
        _queue.Writer.TryComplete();
        return base.StopAsync(ct);
    }
}
