using Quartz;

namespace Alice.Dispatch;

/// <summary>The recurring jobs of one area, each running now and then every so often (<see cref="RecurringJobs"/> stores them).</summary>
internal abstract class RecurringJobSet
{
    public abstract IEnumerable<(Type Job, JobKey Key, TimeSpan Every)> Jobs { get; }
}

/// <summary>
/// Puts every area's recurring jobs into the job store when the service starts (Lifecycle says when, in
/// order with the rest). Each replaces the one a previous start put there: on PostgreSQL one instance
/// runs it at a time, and another takes over if it dies. All in one call, one transaction: one each, on
/// PostgreSQL's clustered store, took about 100 ms apiece and most of a second of the start.
/// </summary>
internal sealed class RecurringJobs(ISchedulerFactory schedulers, IReadOnlyList<RecurringJobSet> sets) : IHostedService
{
    public async Task StartAsync(CancellationToken ct)
    {
        var jobs = new Dictionary<IJobDetail, IReadOnlyCollection<ITrigger>>();
        foreach (var (job, key, every) in sets.SelectMany(s => s.Jobs))
        {
            var detail = JobBuilder.Create().OfType(job).WithIdentity(key).Build();
            jobs[detail] = [TriggerBuilder.Create().WithIdentity(key.Name).ForJob(detail).StartNow()
                .WithSimpleSchedule(s => s.WithInterval(every).RepeatForever()).Build()];
        }
        await (await schedulers.GetScheduler(ct)).ScheduleJobs(jobs, new ScheduleJobOptions { Replace = true }, ct);
    }

    public Task StopAsync(CancellationToken ct) => Task.CompletedTask;
}
