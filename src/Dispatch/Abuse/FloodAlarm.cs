using System.Threading.Channels;
using Alice.Dispatch.Campuses;
using Alice.Dispatch.Centre;

namespace Alice.Dispatch.Abuse;

/// <summary>
/// Tells the operators that a campus is above its booking threshold (new callers now go to a person): an
/// error in the log, and the campus's on-call phone reached as for an alert. Off the caller's path: the
/// caller being put through never waits for it.
/// </summary>
internal sealed class FloodAlarm(CampusDirectory campuses, OnCallPhone onCall, ILogger<FloodAlarm> logger) : BackgroundService
{
    private sealed record Raised(string CampusId, int Rides, int Minutes);

    private readonly Channel<Raised> _raised = Channel.CreateUnbounded<Raised>(new() { SingleReader = true });

    /// <summary>Never waits; once the service is stopping, an alarm raised is dropped.</summary>
    public void Raise(string campusId, int rides, int minutes) => _raised.Writer.TryWrite(new Raised(campusId, rides, minutes));

    /// <summary>Not cancelled on stop: what is already raised is still told; the loop ends once the channel is completed and empty.</summary>
    protected override async Task ExecuteAsync(CancellationToken stopping)
    {
        await foreach (var raised in _raised.Reader.ReadAllAsync(CancellationToken.None))
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

    public override Task StopAsync(CancellationToken ct)
    {
        _raised.Writer.TryComplete();
        return base.StopAsync(ct);
    }
}
