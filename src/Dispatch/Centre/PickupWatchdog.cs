using Alice.Dispatch.Rides;
using Microsoft.Extensions.Options;
using Alice.Dispatch.Telemetry;

namespace Alice.Dispatch.Centre;

/// <summary>
/// A partner's confirmation is not a taxi at the pickup point: a ride the partner confirmed whose driver
/// has not reported arriving by the ETA plus <see cref="CentreOptions.PickupMargin"/> raises an alert (once),
/// which reaches a person like every alert.
/// </summary>
internal sealed class PickupWatchdog(RideBoard board, AlertStore alerts, IOptions<CentreOptions> options, TimeProvider clock, ILogger<PickupWatchdog> logger)
{
    public async Task<int> RunAsync(CancellationToken ct)
    {
        var raised = 0;
        foreach (var ride in await board.LateForPickupAsync(clock.GetUtcNow() - options.Value.PickupMargin, ct))
            if (await alerts.RaiseOnceAsync(ride, AlertKind.PickupLate, ct)) raised++;
        DispatchTelemetry.Raised(AlertKind.PickupLate, raised);
        if (raised > 0) logger.LogWarning("{Count} rides late at their pickup point: alert raised", raised);
        return raised;
    }
}
