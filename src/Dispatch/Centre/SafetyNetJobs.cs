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

/// <summary>
/// Schedules the safety net's two recurring jobs when the service starts (in the job store, so on
/// PostgreSQL one instance runs each at a time and another takes over if it dies).
/// </summary>
internal sealed class SafetyNet(ISchedulerFactory schedulers, IOptions<CentreOptions> options) : IHostedService
{
    public async Task StartAsync(CancellationToken ct)
    {
        await RecurringJobs.ScheduleAsync(schedulers, typeof(AlertNotifyJob), AlertNotifyJob.Key, options.Value.WatchEvery, ct);
        await RecurringJobs.ScheduleAsync(schedulers, typeof(PickupWatchdogJob), PickupWatchdogJob.Key, PickupWatchdogJob.Interval, ct);
    }

    public Task StopAsync(CancellationToken ct) => Task.CompletedTask;
}
