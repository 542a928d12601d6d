using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Dapper;
using Microsoft.Extensions.Options;
using SQLitePCL;

namespace Alice.Dispatch.Storage.Sqlite;

/// <summary>
/// The embedded default: rides and the job store share one SQLite file and wait for each other the same
/// way. The service's connections sync every commit to disk before it returns (synchronous=FULL); the job
/// store's do not (NORMAL: safe from a crash of the process, synced with the next service write), as its
/// rows can be rebuilt from the rides (<c>BookingRecovery</c>).
/// </summary>
internal sealed class SqliteDatabase(IOptions<DatabaseOptions> options, ILogger<SqliteDatabase>? logger = null) : Database
{
    /// <summary>
    /// How long a connection waits for its turn at the gate, and a statement for another process's
    /// writer, before failing (<c>Database:TimeoutSeconds</c>). SQLite's own busy handler waits in steps
    /// of a few milliseconds; left to Microsoft.Data.Sqlite, a busy database is retried only every
    /// 150 ms, which alone put the booking step's p99 above a second under load.
    /// </summary>
    private readonly int _busyTimeoutMs = options.Value.TimeoutSeconds * 1000;

    /// <summary>Every commit synced to disk before it returns.</summary>
    private const string Full = "FULL";

    private readonly string _connectionString =
        new SqliteConnectionStringBuilder(options.Value.ConnectionString) { Pooling = true, DefaultTimeout = options.Value.TimeoutSeconds }.ToString();

    /// <summary>
    /// One open connection at a time in this process. Everything that uses the file (web requests, the
    /// booking runs, Quartz's threads) lives here, so waiting in line, asynchronously, replaces SQLite's busy
    /// handler, which polls with growing sleeps (1, 2, 5, 10... ms) and blocks a thread while it waits.
    /// Measured with the file stuck (another process holding its write lock, StuckDatabaseTests): without the
    /// gate the hotline's time limit (5 s) answered its callers after 5.18 and 5.80 s and readiness went down
    /// after 3.74 s; with it, 5.03 s and 2.05 s. Durable writes (someone waits on each) go first. Connections
    /// are short: none is held while another is opened or while Quartz's own lock is awaited (Quartz takes that first).
    /// </summary>
    private readonly DatabaseGate _gate = new();

    /// <summary>
    /// The synchronous setting each physical connection has now. Pooled connections keep their settings
    /// between opens, so a setting is sent only when it changes, not as two more statements on every
    /// open (a booking opens the database several times).
    /// </summary>
    private readonly ConditionalWeakTable<sqlite3, string> _synchronous = new();

    private DbDataSource? _connections;
    private DbDataSource? _jobStore;

    public override DatabaseProvider Provider => DatabaseProvider.Sqlite;

    public override DbDataSource Connections => _connections ??= new ConfiguredDataSource(_connectionString, Full, _busyTimeoutMs, _gate, _synchronous);

    /// <summary>Not synced on each commit, with the job store's bound at the gate and in SQLite's busy wait.</summary>
    public override DbDataSource JobStore => _jobStore ??= new ConfiguredDataSource(
        new SqliteConnectionStringBuilder(_connectionString) { DefaultTimeout = JobStoreTimeoutSeconds }.ToString(), "NORMAL", JobStoreTimeoutSeconds * 1000, _gate, _synchronous);

    /// <summary>SQLITE_CONSTRAINT (19) on a unique index; never met by new rides here, whose one writer at a time sees every earlier one.</summary>
    public override bool IsUniqueViolation(DbException e) => e is SqliteException { SqliteErrorCode: 19, SqliteExtendedErrorCode: 2067 or 1555 };

    public override string InList(string column, string parameter) => $"{column} IN @{parameter}";

    /// <summary>Makes the file and its folder the service's own (see <see cref="PrivateFiles"/>), and puts the file in WAL mode.</summary>
    public override async Task PrepareAsync(CancellationToken ct)
    {
        PrivateFiles.Prepare(Path.GetFullPath(new SqliteConnectionStringBuilder(_connectionString).DataSource));
        await using var connection = await Connections.OpenConnectionAsync(ct);
        // WAL lets the hotline read while a job writes; it is a property of the file, so set once here.
        // synchronous stays at SQLite's default FULL: a booking is on disk before the caller hears the code.
        await connection.ExecuteAsync("PRAGMA journal_mode=WAL;");
    }

    /// <summary>
    /// BEGIN IMMEDIATE takes the file's write lock at once (and gives it back): it fails, after the busy
    /// timeout, while another process holds it, when a read would still succeed.
    /// </summary>
    public override async Task ProbeWriteAsync(CancellationToken ct)
    {
        await using var connection = await Connections.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        await tx.RollbackAsync(ct);
    }

    /// <summary>How many times a checkpoint a reader keeps from truncating the WAL is tried (over about ten seconds).</summary>
    private const int CheckpointAttempts = 15;

    /// <summary>
    /// How long one checkpoint waits for a reader before it reports busy: short, as this process's gate is held
    /// meanwhile and every caller waits behind it. The backoff between tries leaves the gate open.
    /// </summary>
    private const int CheckpointBusyMs = 100;

    /// <summary>
    /// Copies the WAL into the file and empties it (truncate), so deleted rows survive in neither: with
    /// secure_delete their bytes in the file are zeros, and the WAL's old page images are gone. A reader with
    /// a transaction open (another process: the panel, an operator's sqlite3) keeps the checkpoint from
    /// finishing, and SQLite says so only in its result row (busy = 1), not with an error: the erased bytes
    /// would then stay in the WAL, and in the file's old pages, until some later checkpoint. So the row is
    /// read, and a busy checkpoint is tried again with a growing pause until it truncates, or logged.
    /// </summary>
    public override async Task ScrubDeletedAsync(CancellationToken ct)
    {
        var pause = TimeSpan.FromMilliseconds(25);
        for (var attempt = 1; ; attempt++)
        {
            if (await TruncateWalAsync(ct)) return;
            if (attempt == CheckpointAttempts)
            {
                logger?.LogWarning("The WAL could not be truncated after an erasure: a reader kept the database busy through {Attempts} checkpoints; " +
                                   "the erased bytes stay in the database's files until a later checkpoint truncates it", attempt);
                return;
            }
            await Task.Delay(pause, ct);
            pause = TimeSpan.FromTicks(Math.Min(pause.Ticks * 2, TimeSpan.FromSeconds(1).Ticks));
        }
    }

    /// <summary>One <c>wal_checkpoint(TRUNCATE)</c>: true when it ran to the end (busy = 0), the WAL then empty.</summary>
    private async Task<bool> TruncateWalAsync(CancellationToken ct)
    {
        await using var connection = await Connections.OpenConnectionAsync(ct);
        await connection.ExecuteAsync($"PRAGMA busy_timeout = {CheckpointBusyMs};");
        try
        {
            var (busy, _, _) = await connection.QuerySingleAsync<(long Busy, long Log, long Checkpointed)>(
                new CommandDefinition("PRAGMA wal_checkpoint(TRUNCATE);", commandTimeout: 1, cancellationToken: ct));
            return busy == 0;
        }
        catch (SqliteException e) when (e.SqliteErrorCode is 5 or 6) // SQLITE_BUSY, SQLITE_LOCKED: as busy
        {
            return false;
        }
        finally
        {
            // Pooled connections keep their settings: the usual wait again for whoever opens this one next.
            await connection.ExecuteAsync($"PRAGMA busy_timeout = {_busyTimeoutMs};");
        }
    }

    /// <summary>
    /// The last one closed copies the WAL into the file and removes the -wal and -shm, so a stopped service
    /// leaves one file that holds everything (a copy of it alone is whole). The migrations' pool too: DbUp opens
    /// the file with the connection string as configured.
    /// </summary>
    public override void CloseConnections()
    {
        foreach (var pool in new[] { _connections?.ConnectionString, _jobStore?.ConnectionString, options.Value.ConnectionString })
            if (pool is not null) SqliteConnection.ClearPool(new SqliteConnection(pool));
    }

    public override void Dispose() => CloseConnections();

    private sealed class ConfiguredDataSource(string connectionString, string synchronous, int busyTimeoutMs, DatabaseGate gate, ConditionalWeakTable<sqlite3, string> settings) : DbDataSource
    {
        public override string ConnectionString => connectionString;
        protected override DbConnection CreateDbConnection() => new ConfiguredConnection(connectionString, synchronous, busyTimeoutMs, gate, settings);
    }

    /// <summary>
    /// Holds the gate from open to close, and sets the connection up: pooled connections are shared by
    /// both data sources, so an open that wants the other durability switches it. The busy timeout
    /// still covers another process opening the file (an operator's sqlite3, say).
    /// </summary>
    private sealed class ConfiguredConnection(string connectionString, string synchronous, int busyTimeoutMs, DatabaseGate gate, ConditionalWeakTable<sqlite3, string> settings)
        : SqliteConnection(connectionString)
    {
        private bool _holdsGate;

        public override void Open()
        {
            if (!gate.Enter(synchronous == Full, TimeSpan.FromMilliseconds(busyTimeoutMs))) throw new TimeoutException("The database stayed busy.");
            OpenHoldingGate();
        }

        public override async Task OpenAsync(CancellationToken cancellationToken)
        {
            if (!await gate.EnterAsync(synchronous == Full, TimeSpan.FromMilliseconds(busyTimeoutMs), cancellationToken))
                throw new TimeoutException("The database stayed busy.");
            OpenHoldingGate();
        }

        public override void Close()
        {
            base.Close();
            if (_holdsGate)
            {
                _holdsGate = false;
                gate.Leave();
            }
        }

        private void OpenHoldingGate()
        {
            _holdsGate = true;
            try
            {
                base.Open();
                // Only one connection is open at a time (the gate), so reading and setting its entry cannot race.
                var isNew = !settings.TryGetValue(Handle!, out var current);
                if (current == synchronous) return;
                using var pragma = CreateCommand();
                // secure_delete: what is deleted (a ride at the end of its retention, a caller's number once texted) is overwritten with zeros, not left in free pages.
                pragma.CommandText = (isNew ? $"PRAGMA busy_timeout = {busyTimeoutMs}; PRAGMA secure_delete = ON; " : "") + $"PRAGMA synchronous = {synchronous};";
                pragma.ExecuteNonQuery();
                settings.AddOrUpdate(Handle!, synchronous);
            }
            catch
            {
                Close();
                throw;
            }
        }
    }
}
