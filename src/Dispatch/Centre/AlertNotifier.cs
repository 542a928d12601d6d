using Alice.Dispatch.Campuses;
using Alice.Dispatch.Rides;
using Alice.Dispatch.Twilio;
using Microsoft.Extensions.Options;
using Alice.Dispatch.Telemetry;

namespace Alice.Dispatch.Centre;

/// <summary>
/// Makes every alert reach a person outside the console: the campus's on-call phone as soon as the alert
/// exists, and its second number if nobody has acknowledged the alert in the console within
/// <see cref="CentreOptions.EscalateAfter"/> of it. A failure (Twilio down) is tried again with a growing
/// pause, and escalation keeps its own time. What was reached is stored on the alert, so another instance
/// or a restart carries on where this one stopped; a crash between sending and recording sends again
/// (twice rather than never).
/// </summary>
internal sealed class AlertNotifier(AlertStore alerts, RideStore rides, CampusDirectory campuses, OnCallPhone phone,
    IOptions<CentreOptions> options, TimeProvider clock, ILogger<AlertNotifier> logger)
{
    public async Task RunAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        foreach (var alert in await alerts.OpenAlertsAsync(ct))
        {
            if (Due(alert, now, options.Value.EscalateAfter) is not { } escalation) continue;
            // A written alert names its campus; any other, its ride.
            var written = WrittenAlerts.Parse(alert.RideId);
            var ride = written is null ? await rides.FindAsync(alert.RideId, ct) : null;
            var campus = campuses.ById(written?.CampusId ?? ride?.CampusId ?? "");
            if ((ride is null && written is null) || campus is null) continue;
            try
            {
                if (ride is null) await phone.ReachAboutWrittenAsync(campus, escalation, ct);
                else await phone.ReachAsync(campus, ride, alert.Kind, escalation, ct);
                await alerts.MarkReachedAsync(alert.Id, escalation, ct);
                DispatchTelemetry.AlertDelivered(escalation);
            }
            catch (Exception e) when (e is HttpRequestException or TwilioRestException or TaskCanceledException && !ct.IsCancellationRequested)
            {
                // The type only: nothing of the request goes to the log.
                logger.LogWarning("Could not reach the {Whom} about an alert ({Error}); trying again", escalation ? "second number" : "on-call phone", e.GetType().Name);
                DispatchTelemetry.AlertNotDelivered(escalation);
                await alerts.MarkNotifyFailedAsync(alert.Id, now + Pause(alert.NotifyFailures + 1), ct);
            }
        }
    }

    /// <summary>Whom this alert is due to reach now: false for the on-call phone, true for the second number, null for nobody (yet).</summary>
    public static bool? Due(OpenAlert alert, DateTimeOffset now, TimeSpan escalateAfter)
    {
        if (alert.AcknowledgedAt is not null || alert.NextNotifyAt > now) return null;
        if (alert.NotifiedAt is null) return false;
        if (alert.EscalatedAt is null && now >= alert.CreatedAt + escalateAfter) return true;
        return null;
    }

    /// <summary>5, 10, 20, 40 seconds, then a minute between tries.</summary>
    public static TimeSpan Pause(int failures) => RetryPause.Doubling(failures, TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(1));
}
