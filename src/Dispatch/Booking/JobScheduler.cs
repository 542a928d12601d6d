using Microsoft.Extensions.Diagnostics.HealthChecks;
using Quartz;

namespace Alice.Dispatch.Booking;

/// <summary>
/// Starts and stops the durable job scheduler (Quartz) at its place in the service's start order
/// (see <see cref="Lifecycle"/>), instead of Quartz's own hosted service, whose place would depend on
/// the order of registration. On stop it lets running jobs finish: a booking half sent is completed.
/// </summary>
internal sealed class JobScheduler(ISchedulerFactory schedulers) : IHostedService, IHealthCheck
{
    private IScheduler? _scheduler;

    public async Task StartAsync(CancellationToken ct)
    {
        _scheduler = await schedulers.GetScheduler(ct);
        await _scheduler.Start(ct);
    }

    private readonly Lock _lock = new();
    private Task? _stopping;

    /// <summary>
    /// Once, and every caller waits for that one stop to finish: the host may stop its services twice
    /// (a stop during run raises ApplicationStopping, which stops it again), and a second call returning
    /// early would let the container dispose the database under jobs that are still finishing.
    /// </summary>
    public Task StopAsync(CancellationToken ct)
    {
        lock (_lock) return _stopping ??= _scheduler is { } scheduler ? scheduler.Shutdown(waitForJobsToComplete: true, ct).AsTask() : Task.CompletedTask;
    }

    /// <summary>Ready while the scheduler runs jobs (not before it started, not on standby, not once shut down).</summary>
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct)
    {
        return Task.FromResult(_scheduler?.Status == SchedulerStatus.Running
            ? HealthCheckResult.Healthy()
            : HealthCheckResult.Unhealthy("The job scheduler is not running."));
    }
}
