using Quartz;

namespace Alice.Dispatch;

/// <summary>
/// The recurring jobs of one area, put into the job store when the service starts (Lifecycle says when,
/// in order with the rest), each running now and then every so often. Each replaces the one a previous
/// start put there: on PostgreSQL one instance runs it at a time, and another takes over if it dies.
/// </summary>
internal abstract class RecurringJobSet(ISchedulerFactory schedulers) : IHostedService
{
    protected abstract IEnumerable<(Type Job, JobKey Key, TimeSpan Every)> Jobs { get; }

    public async Task StartAsync(CancellationToken ct)
    {
        var scheduler = await schedulers.GetScheduler(ct);
        foreach (var (job, key, every) in Jobs)
        {
            var detail = JobBuilder.Create().OfType(job).WithIdentity(key).Build();
            var trigger = TriggerBuilder.Create().WithIdentity(key.Name).ForJob(detail).StartNow()
                .WithSimpleSchedule(s => s.WithInterval(every).RepeatForever()).Build();
            await scheduler.ScheduleJob(detail, trigger, new ScheduleJobOptions { Replace = true }, ct);
        }
    }

    public Task StopAsync(CancellationToken ct) => Task.CompletedTask;
}
