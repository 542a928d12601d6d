using Microsoft.Extensions.Options;

namespace Alice.Dispatch.Storage;

/// <summary>Where rides and the job store live. SQLite is the embedded default: one file, no set-up.</summary>
internal sealed class DatabaseOptions
{
    public const string Section = "Database";

    /// <summary><c>Sqlite</c> (default) or <c>Postgres</c>.</summary>
    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;

    /// <summary>
    /// SQLite: a Microsoft.Data.Sqlite connection string, e.g. <c>Data Source=/var/lib/alice/alice.db</c>.
    /// Development's <c>data/alice.db</c> is set in appsettings.Development.json only: elsewhere it must be
    /// given, so a development database (its keys, its accounts) is never taken into service by default.
    /// PostgreSQL: an Npgsql one, e.g. <c>Host=127.0.0.1;Port=5432;Database=alice;Username=alice;Password=…</c>.
    /// </summary>
    public string ConnectionString { get; set; } = "";

    /// <summary>
    /// SQLite: the file the organisers' totals are published into, the only file of the service the panel
    /// opens (read only, as another OS user in the reference units). Empty: <c>published.db</c> beside the
    /// service's own file. PostgreSQL: not used; the totals are published into <c>published_totals</c> of the
    /// service's database, the only table there <c>alice_admin</c> may read (migration V0015).
    /// </summary>
    public string PublishedConnectionString { get; set; } = "";

    /// <summary>
    /// Apply pending migrations when the service starts (Development). Otherwise migrations are an
    /// explicit step (<c>dotnet Alice.Dispatch.dll migrate</c>) and the service refuses to start on a
    /// schema older than itself: two instances must not race to change it, and an operator decides when.
    /// </summary>
    public bool MigrateOnStart { get; set; }

    /// <summary>
    /// The longest one connection waits to open, for its turn or for another writer, and one statement
    /// runs. Short: a database that is stuck (another process holding SQLite's write lock, a PostgreSQL
    /// server gone) fails the work that waits on it in seconds, instead of piling it up for half a
    /// minute; the hotline answers its callers within <c>Twilio:AnswerWithinSeconds</c> whatever this is.
    /// </summary>
    public int TimeoutSeconds { get; set; } = 5;

    /// <summary>
    /// How long <c>migrate</c> waits for a database that does not answer yet, and a starting instance for
    /// its database and its schema, trying again every few seconds with a log line each time (0-3600;
    /// 0: fail at once). At boot the database, the migration and the instances start in any order; the
    /// reference units set 300, and systemd starts whatever still failed again.
    /// </summary>
    public int WaitSeconds { get; set; }

    /// <summary>The provider and connection string as configured, read before the container exists (the job store is set up then).</summary>
    public static DatabaseOptions From(IConfiguration configuration) =>
        configuration.GetSection(Section).Get<DatabaseOptions>() ?? new DatabaseOptions();

    internal sealed class Validator : IValidateOptions<DatabaseOptions>
    {
        public ValidateOptionsResult Validate(string? name, DatabaseOptions options)
        {
            var errors = new List<string>();
            if (string.IsNullOrWhiteSpace(options.ConnectionString))
                errors.Add(options.Provider == DatabaseProvider.Postgres
                    ? "Database:ConnectionString is required (e.g. \"Host=127.0.0.1;Database=alice;Username=alice;Password=…\"); set it from the environment (Database__ConnectionString)."
                    : "Database:ConnectionString is required outside Development, where data/alice.db is the default (e.g. \"Data Source=/var/lib/alice/alice.db\"); " +
                      "set it from the environment (Database__ConnectionString), so that a development database is never used by mistake.");
            if (options.TimeoutSeconds is < 1 or > 30)
                errors.Add("Database:TimeoutSeconds must be between 1 and 30.");
            if (options.WaitSeconds is < 0 or > 3600)
                errors.Add("Database:WaitSeconds must be between 0 and 3600.");
            return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
        }
    }
}
