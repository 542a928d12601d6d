using Microsoft.Extensions.Options;

namespace Alice.Admin.Storage;

internal enum DatabaseProvider { Sqlite, Postgres }

/// <summary>The dispatch service's database, as the panel reaches it: with a login (or a file mode) that can read only totals and accounts.</summary>
internal sealed class AdminDatabaseOptions
{
    public const string Section = "Database";

    /// <summary><c>Sqlite</c> (default) or <c>Postgres</c>: the same as the dispatch service's.</summary>
    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;

    /// <summary>
    /// SQLite: the service's file (<c>Data Source=/var/lib/alice/alice.db</c>), opened read-only for totals.
    /// PostgreSQL: a connection as <c>alice_admin</c>, never as the service's own login.
    /// </summary>
    public string ConnectionString { get; set; } = "";

    internal sealed class Validator : IValidateOptions<AdminDatabaseOptions>
    {
        public ValidateOptionsResult Validate(string? name, AdminDatabaseOptions o)
        {
            if (string.IsNullOrWhiteSpace(o.ConnectionString))
                return ValidateOptionsResult.Fail("Database:ConnectionString is required: the dispatch service's SQLite file, or PostgreSQL as alice_admin.");
            if (o.Provider == DatabaseProvider.Postgres
                && new Npgsql.NpgsqlConnectionStringBuilder(o.ConnectionString).Username is var user && user != "alice_admin")
                return ValidateOptionsResult.Fail($"The admin panel connects to PostgreSQL as alice_admin (infra/postgres creates it), not as '{user}': that login can read only totals and accounts.");
            return ValidateOptionsResult.Success;
        }
    }
}
