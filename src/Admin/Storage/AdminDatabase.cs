using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Alice.Admin.Storage;

/// <summary>
/// The panel's two ways into the dispatch service's database, each able to do no more than its part:
/// <see cref="Totals"/> reads the totals, <see cref="Accounts"/> reads and changes accounts, adds to the
/// audit and reads the key ring. The database enforces it, not this code: on PostgreSQL the login is
/// <c>alice_admin</c> with those grants only (migration V0010); on SQLite every connection has an
/// authorizer refusing every other table, and the totals are read from a connection opened read-only.
/// </summary>
internal sealed class AdminDatabase : IDisposable
{
    private readonly NpgsqlDataSource? _postgres;

    public AdminDatabase(IOptions<AdminDatabaseOptions> options)
    {
        var o = options.Value;
        if (o.Provider == DatabaseProvider.Postgres)
        {
            _postgres = new NpgsqlDataSourceBuilder(o.ConnectionString).Build();
            Totals = Accounts = _postgres;
            return;
        }
        var file = new SqliteConnectionStringBuilder(o.ConnectionString) { Pooling = true, DefaultTimeout = 5 };
        Totals = new SqliteSource(new SqliteConnectionStringBuilder(file.ConnectionString) { Mode = SqliteOpenMode.ReadOnly }.ToString(), SqliteAuthorizer.TotalsOnly);
        Accounts = new SqliteSource(new SqliteConnectionStringBuilder(file.ConnectionString) { Mode = SqliteOpenMode.ReadWrite }.ToString(), SqliteAuthorizer.AccountsOnly);
    }

    public DbDataSource Totals { get; }
    public DbDataSource Accounts { get; }

    public void Dispose() => _postgres?.Dispose();

    /// <summary>SQLite connections that get their authorizer as they open (a pooled connection keeps it; setting it again is harmless).</summary>
    private sealed class SqliteSource(string connectionString, SqliteAuthorizer authorizer) : DbDataSource
    {
        public override string ConnectionString => connectionString;
        protected override DbConnection CreateDbConnection() => new AuthorizedConnection(connectionString, authorizer);
    }

    private sealed class AuthorizedConnection(string connectionString, SqliteAuthorizer authorizer) : SqliteConnection(connectionString)
    {
        public override void Open()
        {
            base.Open();
            authorizer.Apply(Handle!);
        }

        public override async Task OpenAsync(CancellationToken cancellationToken)
        {
            await base.OpenAsync(cancellationToken);
            authorizer.Apply(Handle!);
        }
    }
}
