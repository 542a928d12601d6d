using Quartz;

namespace Alice.Dispatch;

internal static class RecurringJobs
{
    /// <summary>
    /// Puts a job that runs now and then every <paramref name="interval"/> into the job store, replacing the
    /// one a previous start put there: on PostgreSQL one instance runs it at a time, and another takes over if it dies.
    /// </summary>
    public static async Task ScheduleAsync(ISchedulerFactory schedulers, Type job, JobKey key, TimeSpan interval, CancellationToken ct)
    {
        var scheduler = await schedulers.GetScheduler(ct);
        var detail = JobBuilder.Create().OfType(job).WithIdentity(key).Build();
        var trigger = TriggerBuilder.Create().WithIdentity(key.Name).ForJob(detail).StartNow()
            .WithSimpleSchedule(s => s.WithInterval(interval).RepeatForever()).Build();
        await scheduler.ScheduleJob(detail, trigger, new ScheduleJobOptions { Replace = true }, ct);
    }
}
