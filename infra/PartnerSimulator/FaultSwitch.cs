namespace Alice.PartnerSimulator;

/// <summary>The faults in force now; changed by configuration at start and live by the page or POST /faults.</summary>
internal sealed class FaultSwitch(Faults initial, TimeProvider clock)
{
    private Faults _faults = initial;
    private readonly Lock _lock = new();

    public Faults Current { get { lock (_lock) return _faults; } }

    public Faults Set(Faults faults) { lock (_lock) return _faults = faults; }

    public bool IsDown => Current.DownUntil > clock.GetUtcNow();

    /// <summary>Whether this new booking's answer is lost on purpose (uses up one of GhostNext).</summary>
    public bool GhostNow()
    {
        lock (_lock)
        {
            if (_faults.GhostNext <= 0) return false;
            _faults = _faults with { GhostNext = _faults.GhostNext - 1 };
            return true;
        }
    }

    /// <summary>Whether this booking request fails on purpose (uses up one of FailNext).</summary>
    public bool FailsNow()
    {
        lock (_lock)
        {
            if (_faults.FailNext > 0)
            {
                _faults = _faults with { FailNext = _faults.FailNext - 1 };
                return true;
            }
            return _faults.ErrorRate > 0 && Random.Shared.NextDouble() < _faults.ErrorRate;
        }
    }
}
