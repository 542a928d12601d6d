using System.Data.Common;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Alice.Dispatch.Storage.Postgres;

/// <summary>
/// PostgreSQL, for production and for several instances sharing one database. Every commit is durable
/// (the server's synchronous_commit, on by default), so durable and recoverable connections are one pool;
/// the server queues writers itself, so there is no gate here.
/// </summary>
internal sealed class PostgresDatabase(IOptions<DatabaseOptions> options) : Database
{
    /// <summary>Statements kept prepared on each connection, the least recently used making way for a new one.</summary>
    private const int AutoPrepared = 100;

    private readonly NpgsqlDataSource _source = Build(options.Value, options.Value.TimeoutSeconds);

    /// <summary>Quartz's statements have the job store's bound; opening a connection stays as short as the others'.</summary>
    private readonly NpgsqlDataSource _jobStore = Build(options.Value, JobStoreTimeoutSeconds);

    /// <summary>
    /// Opening (a free pooled connection, or a new one) and every command are bounded by
    /// <c>Database:TimeoutSeconds</c> rather than Npgsql's 15 s and 30 s: a server gone fails the work
    /// waiting on it in seconds instead of piling it up. The statements the service runs again and again
    /// (a few dozen: the booking path, the job store's) are prepared on each connection once they have run
    /// twice, and stay prepared across its reuse from the pool: parsing and planning each of them every time
    /// was a good part of the server's work under a burst of calls.
    /// </summary>
    private static NpgsqlDataSource Build(DatabaseOptions o, int commandSeconds)
    {
        var builder = new NpgsqlDataSourceBuilder(o.ConnectionString);
        builder.ConnectionStringBuilder.Timeout = o.TimeoutSeconds;
        builder.ConnectionStringBuilder.CommandTimeout = commandSeconds;
        builder.ConnectionStringBuilder.MaxAutoPrepare = AutoPrepared;
        builder.ConnectionStringBuilder.AutoPrepareMinUsages = 2;
        builder.ConnectionStringBuilder.NoResetOnClose = true;
        return builder.Build();
    }

    public override DatabaseProvider Provider => DatabaseProvider.Postgres;
    public override DbDataSource Connections => _source;
    public override DbDataSource JobStore => _jobStore;
    public override bool IsUniqueViolation(DbException e) => e is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation };

    public override string InList(string column, string parameter) => $"{column} = ANY(@{parameter})";

    public override Task PrepareAsync(CancellationToken ct) => Task.CompletedTask;

    /// <summary>A transaction id is given only to a server that accepts writes (not a standby in recovery).</summary>
    public override async Task ProbeWriteAsync(CancellationToken ct)
    {
        await using var connection = await _source.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        await using var command = new NpgsqlCommand("SELECT pg_current_xact_id();", connection, tx);
        await command.ExecuteScalarAsync(ct);
        await tx.RollbackAsync(ct);
    }

    /// <summary>
    /// Vacuums the tables retention deletes from and rewrites, and the callers' numbers held for a text,
    /// at once rather than when autovacuum's threshold is reached (a few rides a day never reach it): their
    /// dead row versions are pruned and the space made free for reuse. SECURITY.md says what stays in the
    /// files and the WAL until then. Only the tables' owner may vacuum them; for another login PostgreSQL
    /// warns and skips them.
    /// </summary>
    public override async Task ScrubDeletedAsync(CancellationToken ct)
    {
        await using var command = _source.CreateCommand(
            "VACUUM (SKIP_LOCKED) rides, alerts, police_requests, dead_bookings, partner_events, ended_calls, twilio_deletions, audit_log, sms_consents, text_conversations;");
        await command.ExecuteNonQueryAsync(ct);
    }

    public override void CloseConnections()
    {
        _source.Clear();
        _jobStore.Clear();
    }

    public override void Dispose()
    {
        _source.Dispose();
        _jobStore.Dispose();
    }
}
