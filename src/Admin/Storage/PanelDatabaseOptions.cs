using Microsoft.Extensions.Options;
using Npgsql;

namespace Alice.Admin.Storage;

internal enum DatabaseProvider { Sqlite, Postgres }

/// <summary>
/// The panel's two connections: its own store (its accounts, audit and key ring, which only it opens) and
/// the totals the dispatch service publishes for it (read only). Never the service's own database.
/// </summary>
internal sealed class PanelDatabaseOptions
{
    public const string Section = "Database";

    /// <summary><c>Sqlite</c> (default) or <c>Postgres</c>: the same as the dispatch service's.</summary>
    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;

    /// <summary>
    /// The panel's own store, made by <c>dotnet Alice.Admin.dll migrate</c>. SQLite: a file of its own
    /// (<c>Data Source=/var/lib/alice-admin/admin.db</c>). PostgreSQL: its own database, owned by
    /// <c>alice_admin</c> (<c>Database=alice_panel;Username=alice_admin</c>).
    /// </summary>
    public string ConnectionString { get; set; } = "";

    /// <summary>
    /// The published totals, read only. SQLite: the file the service publishes them into
    /// (<c>Data Source=/var/lib/alice-published/published.db</c>, the service's <c>Database:PublishedConnectionString</c>).
    /// PostgreSQL: the service's database as <c>alice_admin</c>, whose only grant there is SELECT on <c>published_totals</c>.
    /// </summary>
    public string PublishedConnectionString { get; set; } = "";

    /// <summary>
    /// How long a starting panel waits for its store (the database answering, its migrations run, its key
    /// ring there), trying again every few seconds with a log line (0-3600; 0: refuse at once). The
    /// reference environment file sets 300: at boot the database and the migration may come later.
    /// </summary>
    public int WaitSeconds { get; set; }

    internal sealed class Validator : IValidateOptions<PanelDatabaseOptions>
    {
        public ValidateOptionsResult Validate(string? name, PanelDatabaseOptions o)
        {
            var errors = new List<string>();
            if (string.IsNullOrWhiteSpace(o.ConnectionString))
                errors.Add("Database:ConnectionString is required: the panel's own store (a SQLite file of its own, or PostgreSQL's alice_panel as alice_admin).");
            if (string.IsNullOrWhiteSpace(o.PublishedConnectionString))
                errors.Add("Database:PublishedConnectionString is required: the totals the dispatch service publishes (its published.db, or PostgreSQL's alice as alice_admin).");
            if (o.WaitSeconds is < 0 or > 3600)
                errors.Add("Database:WaitSeconds must be between 0 and 3600.");
            if (errors.Count == 0 && o.Provider == DatabaseProvider.Postgres)
                foreach (var connection in new[] { o.ConnectionString, o.PublishedConnectionString })
                    if (new NpgsqlConnectionStringBuilder(connection).Username is var user && user != "alice_admin")
                        errors.Add($"The admin panel connects to PostgreSQL as alice_admin (infra/postgres creates it), not as '{user}': that login owns the panel's database and reads only the published totals of the service's.");
            if (errors.Count == 0 && o.Provider == DatabaseProvider.Sqlite
                && SqliteFile(o.ConnectionString) == SqliteFile(o.PublishedConnectionString))
                errors.Add("Database:ConnectionString and Database:PublishedConnectionString must be two files: the panel's own store, and the service's published totals.");
            return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
        }

        private static string SqliteFile(string connectionString) =>
            Path.GetFullPath(new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(connectionString).DataSource);
    }
}
