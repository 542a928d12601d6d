using Alice.Dispatch.Campuses;
using Alice.Dispatch.Centre;

namespace Alice.Dispatch.Abuse;

/// <summary>
/// Tells the operators that a campus is above its booking threshold (new callers now go to a person): an
/// error in the log, and the campus's on-call phone reached as for an alert. Off the caller's path: the
/// caller being put through never waits for it.
/// </summary>
internal sealed class FloodAlarm(CampusDirectory campuses, OnCallPhone onCall, ILogger<FloodAlarm> logger) : BatchLoop<FloodAlarm.Raised>(MaxBatch)
{
    private const int MaxBatch = 16;

    internal sealed record Raised(string CampusId, int Rides, int Minutes);

    public void Raise(string campusId, int rides, int minutes) => TryQueue(new Raised(campusId, rides, minutes));

    protected override async Task HandleAsync(List<Raised> batch)
    {
        foreach (var raised in batch)
        {
            logger.LogError("Campus {Campus}: {Rides} new rides in {Minutes} min, above its threshold; new callers are put through to its human line",
                raised.CampusId, raised.Rides, raised.Minutes);
            if (campuses.ById(raised.CampusId) is not { } campus) continue;
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
                await onCall.ReachAboutFloodAsync(campus, raised.Rides, raised.Minutes, timeout.Token);
            }
            catch (Exception e)
            {
                logger.LogError("The on-call phone could not be told of the flood ({Error})", e.GetType().Name);
            }
        }
    }
}
