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

/// <summary>Every few seconds: confirmed rides whose driver is late at the pickup point raise an alert.</summary>
[DisallowConcurrentExecution]
internal sealed class PickupWatchdogJob(PickupWatchdog watchdog) : IJob
{
    public static readonly JobKey Key = new("pickup-watchdog");
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
        var scheduler = await schedulers.GetScheduler(ct);
        foreach (var (type, key) in new[] { (typeof(AlertNotifyJob), AlertNotifyJob.Key), (typeof(PickupWatchdogJob), PickupWatchdogJob.Key) })
        {
            var job = JobBuilder.Create().OfType(type).WithIdentity(key).Build();
            var trigger = TriggerBuilder.Create().WithIdentity(key.Name).ForJob(job).StartNow()
                .WithSimpleSchedule(s => s.WithInterval(options.Value.WatchEvery).RepeatForever()).Build();
            await scheduler.ScheduleJob(job, trigger, new ScheduleJobOptions { Replace = true }, ct);
        }
    }

    public Task StopAsync(CancellationToken ct) => Task.CompletedTask;
}
