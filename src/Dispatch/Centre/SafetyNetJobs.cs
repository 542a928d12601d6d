using Microsoft.Extensions.Options;
using Quartz;

namespace Alice.Dispatch.Centre;

/// <summary>Every few seconds: alerts reach the on-call phone, and are escalated when nobody took them.</summary>
[DisallowConcurrentExecution]
internal sealed class AlertNotifyJob(AlertNotifier notifier) : IJob
{
    public static readonly JobKey Key = new("alert-notify");
    public ValueTask Execute(IJobExecutionContext context, CancellationToken ct) => new(notifier.RunAsync(ct));
}

/// <summary>Every half minute: confirmed rides whose driver is late at the pickup point raise an alert.</summary>
[DisallowConcurrentExecution]
internal sealed class PickupWatchdogJob(PickupWatchdog watchdog) : IJob
{
    public static readonly JobKey Key = new("pickup-watchdog");
    /// <summary>Lateness is counted in minutes; looking more often would only take the database from bookings.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(30);
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken ct) => await watchdog.RunAsync(ct);
}

/// <summary>The safety net's two recurring jobs.</summary>
internal sealed class SafetyNet(IOptions<CentreOptions> options) : RecurringJobSet
{
    public override IEnumerable<(Type, JobKey, TimeSpan)> Jobs =>
    [
        (typeof(AlertNotifyJob), AlertNotifyJob.Key, options.Value.WatchEvery),
        (typeof(PickupWatchdogJob), PickupWatchdogJob.Key, PickupWatchdogJob.Interval),
    ];
}
