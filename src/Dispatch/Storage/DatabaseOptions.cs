using Microsoft.Extensions.Options;

namespace Alice.Dispatch.Storage;

/// <summary>Where rides and the job store live. SQLite is the embedded default: one file, no set-up.</summary>
internal sealed class DatabaseOptions
{
    public const string Section = "Database";

    /// <summary><c>Sqlite</c> (default) or <c>Postgres</c>.</summary>
    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;

    /// <summary>
    /// SQLite: a Microsoft.Data.Sqlite connection string, e.g. <c>Data Source=data/alice.db</c>.
    /// PostgreSQL: an Npgsql one, e.g. <c>Host=127.0.0.1;Port=5432;Database=alice;Username=alice;Password=…</c>.
    /// </summary>
    public string ConnectionString { get; set; } = "";

    /// <summary>
    /// Apply pending migrations when the service starts (Development). Otherwise migrations are an
    /// explicit step (<c>dotnet Alice.Dispatch.dll migrate</c>) and the service refuses to start on a
    /// schema older than itself: two instances must not race to change it, and an operator decides when.
    /// </summary>
    public bool MigrateOnStart { get; set; }

    /// <summary>The provider and connection string as configured, read before the container exists (the job store is set up then).</summary>
    public static DatabaseOptions From(IConfiguration configuration) =>
        configuration.GetSection(Section).Get<DatabaseOptions>() ?? new DatabaseOptions();

    internal sealed class Validator : IValidateOptions<DatabaseOptions>
    {
        public ValidateOptionsResult Validate(string? name, DatabaseOptions options) =>
            string.IsNullOrWhiteSpace(options.ConnectionString)
                ? ValidateOptionsResult.Fail(options.Provider == DatabaseProvider.Postgres
                    ? "Database:ConnectionString is required (e.g. \"Host=127.0.0.1;Database=alice;Username=alice;Password=…\"); set it from the environment (Database__ConnectionString)."
                    : "Database:ConnectionString is required (e.g. \"Data Source=data/alice.db\").")
                : ValidateOptionsResult.Success;
    }
}
