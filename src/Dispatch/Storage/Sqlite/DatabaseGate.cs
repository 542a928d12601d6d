namespace Alice.Dispatch.Storage.Sqlite;

/// <summary>
/// Lets one connection at a time use the database file, in two lines: whoever waits in the first line
/// goes before everyone in the other. Durable writes wait in the first line (someone waits on each: a
/// caller for their booking code, a partner for the answer to its event); the job store and the booking
/// jobs wait in the other, a moment more. Within a line, first come, first served.
/// </summary>
internal sealed class DatabaseGate
{
    private readonly Lock _lock = new();
    private readonly Queue<TaskCompletionSource> _first = new();
    private readonly Queue<TaskCompletionSource> _others = new();
    private bool _held;

    /// <summary>True once this caller holds the gate; false if it did not get it within the timeout.</summary>
    public async Task<bool> EnterAsync(bool first, TimeSpan timeout, CancellationToken ct)
    {
        if (Join(first) is not { } turn) return true;
        try
        {
            await turn.Task.WaitAsync(timeout, ct);
        }
        catch (Exception e) when (e is TimeoutException or OperationCanceledException)
        {
            if (LeaveLine(turn))
            {
                if (e is TimeoutException) return false;
                throw;
            }
        }
        return true;
    }

    /// <summary>The same, blocking: waits on the turn itself, so it needs no other thread to wake it.</summary>
    public bool Enter(bool first, TimeSpan timeout) =>
        Join(first) is not { } turn || turn.Task.Wait(timeout) || !LeaveLine(turn);

    /// <summary>Null when the gate was free and is now held; otherwise a place in line.</summary>
    private TaskCompletionSource? Join(bool first)
    {
        lock (_lock)
        {
            if (!_held)
            {
                _held = true;
                return null;
            }
            var turn = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            (first ? _first : _others).Enqueue(turn);
            return turn;
        }
    }

    /// <summary>Gives up a place in line (<see cref="Leave"/> skips it); false if the gate came just now, and is held.</summary>
    private static bool LeaveLine(TaskCompletionSource turn) => turn.TrySetCanceled();

    /// <summary>Passes the gate on to the next waiter, first line first.</summary>
    public void Leave()
    {
        lock (_lock)
        {
            while (_first.TryDequeue(out var next) || _others.TryDequeue(out next))
                if (next.TrySetResult()) return;
            _held = false;
        }
    }
}
