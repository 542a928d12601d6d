using System.Data.Common;
using Dapper;
using Quartz;

namespace Alice.Dispatch.Storage;

/// <summary>Which database the service runs on: the same code and the same tables on both.</summary>
internal enum DatabaseProvider
{
    /// <summary>The embedded default: one file, zero set-up, one instance.</summary>
    Sqlite,
    /// <summary>For production and for several instances sharing one database (clustered jobs).</summary>
    Postgres,
}

/// <summary>
/// The storage seam: where every connection to the service's database comes from, whichever database
/// it is. Each area owns its tables and writes its own SQL, in the subset both databases speak
/// (<c>ON CONFLICT</c>, <c>RETURNING</c>, integers for times); what differs between them lives in the
/// provider's folder (<c>Storage/Sqlite</c>, <c>Storage/Postgres</c>), never in an area.
/// </summary>
internal abstract class Database : IDisposable
{
    public abstract DatabaseProvider Provider { get; }

    /// <summary>
    /// The service's connections: every commit is on disk before it returns (a new ride before the caller
    /// hears its code, a partner event before the partner hears it was applied). One kind for every area,
    /// so no writer chooses how safe its commit is; only Quartz's job store (<see cref="JobStore"/>) differs.
    /// </summary>
    public abstract DbDataSource Connections { get; }

    /// <summary>Opens one of <see cref="Connections"/>.</summary>
    public ValueTask<DbConnection> OpenAsync(CancellationToken ct = default) => Connections.OpenConnectionAsync(ct);

    /// <summary>One statement on a connection of its own, committed when it returns: the rows it touched.</summary>
    public async Task<int> ExecuteAsync(string sql, object args, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct);
        return await connection.ExecuteAsync(new CommandDefinition(sql, args, cancellationToken: ct));
    }

    /// <summary>
    /// The statement broke a unique index: another transaction wrote the same value first (a booking code, or
    /// the same call's ride, from another instance at the same moment).
    /// </summary>
    public abstract bool IsUniqueViolation(DbException e);

    /// <summary>
    /// "<paramref name="column"/> is one of the values in list parameter <paramref name="parameter"/>":
    /// Dapper expands a list into one parameter per value on SQLite, and passes it as an array on PostgreSQL.
    /// </summary>
    public abstract string InList(string column, string parameter);

    /// <summary>Whatever the provider needs before the migrations run (a folder, the journal mode).</summary>
    public abstract Task PrepareAsync(CancellationToken ct);

    /// <summary>
    /// Quartz's connections, with <see cref="JobStoreTimeoutSeconds"/> for their statements. On SQLite its
    /// commits are not synced one by one: after a power cut the jobs are rebuilt from the rides
    /// (<c>BookingRecovery</c> at every start), and the partner's idempotency key makes a second try harmless.
    /// </summary>
    public abstract DbDataSource JobStore { get; }

    /// <summary>
    /// The job store's bound. No caller waits on it, and under a burst its statements wait longer than the
    /// callers' <c>Database:TimeoutSeconds</c> (at SQLite's gate behind the callers' writes, at its own row
    /// locks on PostgreSQL): that short bound would fail a start, a trigger acquisition or a job for nothing.
    /// </summary>
    protected const int JobStoreTimeoutSeconds = 30;

    /// <summary>
    /// Opens a connection and takes the right to write, writing nothing: the readiness check. A read
    /// alone is not enough: on SQLite another process holding the write lock leaves reads working
    /// while no ride can be written.
    /// </summary>
    public abstract Task ProbeWriteAsync(CancellationToken ct);

    /// <summary>After rows were deleted for good: whatever makes their bytes leave the database's files.</summary>
    public abstract Task ScrubDeletedAsync(CancellationToken ct);

    /// <summary>Puts Quartz's job store on this database (its own tables beside ours).</summary>
    public static void ConfigureJobStore(IPersistentStoreBuilder store, DatabaseProvider provider)
    {
        Func<IServiceProvider, DbDataSource> source = services => services.GetRequiredService<Database>().JobStore;
        switch (provider)
        {
            case DatabaseProvider.Sqlite:
                // The same file as the rides: one file to back up, and a ride and its job live or die together.
                store.UseSqlite(s => s.DataSourceFactory = source);
                break;
            case DatabaseProvider.Postgres:
                store.UsePostgres(s => s.DataSourceFactory = source);
                // Any instance runs any job; one that stops checking in is presumed dead after a few
                // seconds and its jobs (those asking for recovery) are run again by another.
                store.UseClustering(c =>
                {
                    c.CheckinInterval = TimeSpan.FromSeconds(2);
                    c.CheckinMisfireThreshold = TimeSpan.FromSeconds(4);
                });
                break;
        }
    }

    /// <summary>
    /// Closes the idle pooled connections, and those in use as they come back: at a stop, once the job
    /// scheduler has let its last job end (<see cref="StorageExtensions.SchemaOnStart"/> stops last).
    /// </summary>
    public abstract void CloseConnections();

    public abstract void Dispose();
}
