using Microsoft.Extensions.Options;
using Quartz;

namespace Alice.Dispatch.Retention;

/// <summary>Every minute (Retention:SweepEverySeconds): coarsens ended rides' times and deletes what is due.</summary>
[DisallowConcurrentExecution]
internal sealed class RetentionJob(RetentionSweep sweep) : IJob
{
    public static readonly JobKey Key = new("retention");
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken ct) => await sweep.RunAsync(ct);
}

/// <summary>Every few seconds: Twilio's records of ended calls are deleted.</summary>
[DisallowConcurrentExecution]
internal sealed class TwilioRecordJob(TwilioRecords records) : IJob
{
    public static readonly JobKey Key = new("twilio-record-deletion");
    /// <summary>Soon after the call, since until then the encrypted CallSid is held.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken ct) => await records.DeleteDueAsync(ct);
}

/// <summary>Retention's two recurring jobs.</summary>
internal sealed class RetentionSchedule(IOptions<RetentionOptions> options) : RecurringJobSet
{
    public override IEnumerable<(Type, JobKey, TimeSpan)> Jobs =>
    [
        (typeof(RetentionJob), RetentionJob.Key, options.Value.SweepEvery),
        (typeof(TwilioRecordJob), TwilioRecordJob.Key, TwilioRecordJob.Interval),
    ];
}
