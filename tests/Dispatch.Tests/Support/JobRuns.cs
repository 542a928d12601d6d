using Microsoft.Extensions.DependencyInjection;
using Quartz;

namespace Alice.Dispatch.Tests.Support;

/// <summary>
/// The runs of one of the service's recurring jobs, counted as they end, from the moment the test starts
/// watching. A check that a job did nothing waits for runs that began after the moment it is about: on a
/// slow machine it then waits longer, instead of looking before the job had its chance.
/// </summary>
internal sealed class JobRuns : IJobListener
{
    private readonly JobKey _job;
    private readonly IScheduler _scheduler;
    private readonly DateTimeOffset _from = DateTimeOffset.UtcNow;
    private int _ended;

    private JobRuns(JobKey job, IScheduler scheduler) => (_job, _scheduler) = (job, scheduler);

    public string Name { get; } = "test-runs-" + Guid.NewGuid().ToString("N");

    /// <summary>Starts counting the job's runs that begin from now on.</summary>
    public static async Task<JobRuns> WatchAsync(DispatchApp app, JobKey job)
    {
        var scheduler = await app.Services.GetRequiredService<ISchedulerFactory>().GetScheduler();
        var runs = new JobRuns(job, scheduler);
        scheduler.ListenerManager.AddJobListener(runs, [GroupMatcher<JobKey>.AnyGroup()]);
        return runs;
    }

    /// <summary>Waits until this many runs, begun after the watch started, have ended.</summary>
    public Task EndedAsync(int runs, TimeSpan? within = null) =>
        Eventually.True(() => Volatile.Read(ref _ended) >= runs, $"{runs} runs of the job {_job} begun after {_from:HH:mm:ss.fff} (ended so far: {_ended})", within);

    /// <summary>Fires the job now, as its schedule would later, and waits for a run to end: a test need not wait out the job's interval.</summary>
    public async Task RunNowAsync()
    {
        var expected = Volatile.Read(ref _ended) + 1;
        await _scheduler.TriggerJob(_job);
        await EndedAsync(expected);
    }

    /// <summary>Runs the job now, again and again, until what it should bring about has come; fails naming it when the time runs out.</summary>
    public Task RunUntilAsync(Func<bool> came, string what, TimeSpan? within = null) =>
        Eventually.True(async () =>
        {
            if (came()) return true;
            await RunNowAsync();
            return came();
        }, $"{what} (the job {_job} run again and again)", within);

    public ValueTask JobToBeExecuted(IJobExecutionContext context, CancellationToken ct = default) => ValueTask.CompletedTask;
    public ValueTask JobExecutionVetoed(IJobExecutionContext context, CancellationToken ct = default) => ValueTask.CompletedTask;

    public ValueTask JobWasExecuted(IJobExecutionContext context, JobExecutionException? error, CancellationToken ct = default)
    {
        if (context.JobDetail.Key.Equals(_job) && context.FireTimeUtc >= _from) Interlocked.Increment(ref _ended);
        return ValueTask.CompletedTask;
    }
}
