namespace Alice.PartnerSimulator;

/// <summary>GET /faults shows the faults in force; POST /faults replaces them (downForSeconds starts an outage now).</summary>
internal static class FaultControls
{
    public static void MapFaultControls(this WebApplication app)
    {
        app.MapGet("/faults", (FaultSwitch faults) => faults.Current);
        app.MapPost("/faults", (Faults faults, double? downForSeconds, FaultSwitch current, TimeProvider clock) =>
            current.Set(downForSeconds is > 0 ? faults with { DownUntil = clock.GetUtcNow().AddSeconds(downForSeconds.Value) } : faults));
    }
}
