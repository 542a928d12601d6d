using Dapper;
using DbUp;
using DbUp.Builder;
using DbUp.Engine;
using Microsoft.Extensions.Options;
using Quartz;

namespace Alice.Dispatch.Storage;

/// <summary>
/// Applies the versioned SQL scripts of the configured database (<c>Storage/Sqlite/Migrations</c> or
/// <c>Storage/Postgres/Migrations</c>, embedded, in name order, once each) with DbUp, which records
/// each in <c>schema_migrations</c>. Plain SQL per dialect rather than EF Core migrations: the EF
/// design-time tooling is not available to this project, and a reviewer reads exactly what the schema is.
/// </summary>
internal sealed class Migrator(Database database, IOptions<DatabaseOptions> options, ILogger<Migrator> logger)
{
    private const string Journal = "schema_migrations";

    /// <summary>
    /// The migrate command: the service's tables, then the job store's. Quartz creates its own tables when
    /// its scheduler is first built (not started: no job runs here), so two instances starting together
    /// afterwards find them and do not race to create them.
    /// </summary>
    public static async Task MigrateAllAsync(IServiceProvider services, CancellationToken ct)
    {
        // At boot the database may come after the migration: it is waited for (Database:WaitSeconds).
        var migrator = services.GetRequiredService<Migrator>();
        await services.GetRequiredService<DatabaseWait>().UntilDoneAsync("Migrating the database", async ct =>
        {
            await migrator.MigrateAsync(ct);
            return null;
        }, ct);
        var scheduler = await services.GetRequiredService<ISchedulerFactory>().GetScheduler(ct);
        await scheduler.Shutdown(waitForJobsToComplete: false, ct);
    }

    /// <summary>Applies every pending script, each in its own transaction; throws naming the script that failed.</summary>
    public async Task MigrateAsync(CancellationToken ct)
    {
        await database.PrepareAsync(ct);
        await AdoptFirstJournalAsync(ct);
        var result = Upgrader(Scripts()).Build().PerformUpgrade();
        if (!result.Successful)
            throw new InvalidOperationException(result.ErrorScript is { } script
                ? $"Migration {script.Name} failed: {result.Error.Message}"
                : $"The migrations could not start: {result.Error.Message}", result.Error);
        foreach (var script in result.Scripts) logger.LogInformation("Applied database migration {Version}", script.Name);
    }

    /// <summary>The scripts this release has that the database has not run yet.</summary>
    public async Task<IReadOnlyList<string>> PendingAsync(CancellationToken ct)
    {
        await database.PrepareAsync(ct);
        if (await FirstJournalAsync(ct) is { } first) return Scripts().Select(s => s.Name).Where(name => !first.Contains(name)).ToList();
        return Upgrader(Scripts()).Build().GetScriptsToExecute().Select(s => s.Name).ToList();
    }

    private UpgradeEngineBuilder Upgrader(IEnumerable<SqlScript> scripts)
    {
        var connectionString = options.Value.ConnectionString;
        var builder = database.Provider switch
        {
            DatabaseProvider.Postgres => DeployChanges.To.PostgresqlDatabase(connectionString).JournalToPostgresqlTable("public", Journal),
            _ => DeployChanges.To.SqliteDatabase(connectionString).JournalToSqliteTable(Journal),
        };
        return builder.WithScripts(scripts).WithTransactionPerScript().LogToNowhere();
    }

    /// <summary>This provider's scripts, named by version (e.g. <c>V0001_rides</c>), in order.</summary>
    private IEnumerable<SqlScript> Scripts()
    {
        var assembly = typeof(Migrator).Assembly;
        var folder = $".Storage.{database.Provider}.Migrations.";
        foreach (var resource in assembly.GetManifestResourceNames()
                     .Where(n => n.Contains(folder, StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal))
                     .Order(StringComparer.Ordinal))
        {
            using var stream = assembly.GetManifestResourceStream(resource)!;
            yield return new SqlScript(resource[(resource.IndexOf(folder, StringComparison.Ordinal) + folder.Length)..^4], new StreamReader(stream).ReadToEnd());
        }
    }

    /// <summary>
    /// The first releases ran on SQLite only, with a runner of their own that kept its versions in
    /// <c>schema_versions</c>. Those scripts are recorded as run in DbUp's journal (they are the same
    /// scripts, by the same names), and the old table goes.
    /// </summary>
    private async Task AdoptFirstJournalAsync(CancellationToken ct)
    {
        if (await FirstJournalAsync(ct) is not { } applied) return;
        var adopted = Upgrader(Scripts().Where(s => applied.Contains(s.Name))).Build().MarkAsExecuted();
        if (!adopted.Successful) throw new InvalidOperationException("Could not adopt the first releases' schema_versions.", adopted.Error);
        await using var connection = await database.OpenAsync(ct);
        await connection.ExecuteAsync("DROP TABLE schema_versions;");
        logger.LogInformation("Adopted {Count} migrations recorded by the first releases", applied.Count);
    }

    /// <summary>The versions the first releases' runner recorded, or null when there is no such table.</summary>
    private async Task<HashSet<string>?> FirstJournalAsync(CancellationToken ct)
    {
        if (database.Provider != DatabaseProvider.Sqlite) return null;
        await using var connection = await database.OpenAsync(ct);
        var exists = await connection.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_versions';") > 0;
        return exists ? (await connection.QueryAsync<string>("SELECT version FROM schema_versions;")).ToHashSet() : null;
    }
}
