using Quartz;

namespace Alice.Dispatch.Totals;

/// <summary>Every quarter of an hour: publishes the weeks that have come due (<see cref="PublicationSchedule"/>).</summary>
[DisallowConcurrentExecution]
internal sealed class PublishTotalsJob(TotalsPublisher publisher) : IJob
{
    public static readonly JobKey Key = new("totals-publication");
    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(15);
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken ct) => await publisher.PublishDueAsync(ct);
}

/// <summary>The totals' one recurring job.</summary>
internal sealed class TotalsPublication : RecurringJobSet
{
    public override IEnumerable<(Type, JobKey, TimeSpan)> Jobs => [(typeof(PublishTotalsJob), PublishTotalsJob.Key, PublishTotalsJob.Interval)];
}
