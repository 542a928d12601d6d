using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Alice.Admin.Storage;

/// <summary>
/// The panel's own store: its accounts, its audit and its Data Protection key ring, in tables its own
/// migrations make (Storage/Migrations). The dispatch service never
/// opens it, and the panel opens nothing of the service's but the published totals.
/// </summary>
internal sealed class PanelStore : IDisposable
{
    private readonly NpgsqlDataSource? _postgres;

    public PanelStore(IOptions<PanelDatabaseOptions> options)
    {
        var o = options.Value;
        Provider = o.Provider;
        ConnectionString = o.ConnectionString;
        if (o.Provider == DatabaseProvider.Postgres)
        {
            Source = _postgres = new NpgsqlDataSourceBuilder(o.ConnectionString).Build();
            return;
        }
        // ReadWrite, not ReadWriteCreate: a store that is not there is not made by a page view (migrate makes it).
        Source = new SqliteSource(new SqliteConnectionStringBuilder(o.ConnectionString) { Mode = SqliteOpenMode.ReadWrite, Pooling = true, DefaultTimeout = 5 }.ToString());
    }

    public DatabaseProvider Provider { get; }
    public string ConnectionString { get; }
    public DbDataSource Source { get; }

    /// <summary>
    /// On SQLite, closes the pooled connections (its own and the migrations', which DbUp opens with the string
    /// as configured): the last one closed copies the WAL into the file, so a stopped panel leaves one file.
    /// </summary>
    public void Dispose()
    {
        _postgres?.Dispose();
        if (_postgres is not null) return;
        foreach (var pool in new[] { Source.ConnectionString, ConnectionString }) SqliteConnection.ClearPool(new SqliteConnection(pool));
    }

    internal sealed class SqliteSource(string connectionString) : DbDataSource
    {
        public override string ConnectionString => connectionString;
        protected override DbConnection CreateDbConnection() => new SqliteConnection(connectionString);
    }
}
