namespace Alice.Dispatch;

/// <summary>
/// Which answer a caller hears when a step's own answer races the hotline's time limit: decided once,
/// by whichever comes first. A step that commits something the caller must hear about (a ride, whose
/// code it will speak) takes the answer with <see cref="TryCommit"/> just before committing it; the time
/// limit takes it with <see cref="TryGiveUp"/> before bridging the caller to a person. So a ride is never
/// committed once its caller is bridged, and a caller is never bridged once their ride is committed.
/// </summary>
internal sealed class CallerAnswer
{
    private const int Undecided = 0, Committed = 1, Bridged = 2;
    private readonly CancellationTokenSource _givenUp = new();
    private int _state;

    /// <summary>Cancelled once the caller was answered without this step (bridged): what it waits for is no longer wanted.</summary>
    public CancellationToken GivenUp => _givenUp.Token;

    /// <summary>True when the step's answer will be heard (so it may commit); false once the caller was bridged.</summary>
    public bool TryCommit() => Interlocked.CompareExchange(ref _state, Committed, Undecided) != Bridged;

    /// <summary>True when the caller may be bridged now; false once the step committed (its answer comes in a moment).</summary>
    public bool TryGiveUp()
    {
        if (Interlocked.CompareExchange(ref _state, Bridged, Undecided) == Committed) return false;
        _givenUp.Cancel();
        return true;
    }
}
