using System.Data.Common;
using Alice.Dispatch.Storage;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Time.Testing;

namespace Alice.Dispatch.Tests;

/// <summary>The database's readiness check on a fake clock, with a probe the test answers itself.</summary>
public class ReadinessTests
{
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);

    [Fact]
    public async Task A_database_that_cannot_be_written_to_within_the_bound_is_not_ready_and_is_ready_again_once_it_can()
    {
        var database = new ProbedDatabase();
        var check = new StorageExtensions.DatabaseReady(database, _clock);

        database.Probe = new TaskCompletionSource().Task; // stuck: never answers
        var stuck = check.CheckHealthAsync(new HealthCheckContext(), CancellationToken.None);
        _clock.Advance(StorageExtensions.DatabaseReady.Within - TimeSpan.FromMilliseconds(1));
        Assert.False(stuck.IsCompleted);
        _clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(HealthStatus.Unhealthy, (await stuck).Status);

        database.Probe = Task.FromException(new TimeoutException("The database stayed busy."));
        Assert.Equal(HealthStatus.Unhealthy, (await check.CheckHealthAsync(new HealthCheckContext(), CancellationToken.None)).Status);

        database.Probe = Task.CompletedTask; // back, with no restart
        Assert.Equal(HealthStatus.Healthy, (await check.CheckHealthAsync(new HealthCheckContext(), CancellationToken.None)).Status);
    }

    /// <summary>A database whose write probe is what the test says; nothing else of it is used.</summary>
    private sealed class ProbedDatabase : Database
    {
        public Task Probe { get; set; } = Task.CompletedTask;
        public override Task ProbeWriteAsync(CancellationToken ct) => Probe;
        public override DatabaseProvider Provider => DatabaseProvider.Sqlite;
        public override DbDataSource Connections => throw new NotSupportedException();
        public override DbDataSource JobStore => throw new NotSupportedException();
        public override bool IsUniqueViolation(DbException e) => throw new NotSupportedException();
        public override string InList(string column, string parameter) => throw new NotSupportedException();
        public override Task PrepareAsync(CancellationToken ct) => throw new NotSupportedException();
        public override Task ScrubDeletedAsync(CancellationToken ct) => throw new NotSupportedException();
        public override void CloseConnections() { }
        public override void Dispose() { }
    }
}
