using System.Data.Common;
using DbUp;
using DbUp.Builder;
using DbUp.Engine;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace Alice.Admin.Storage;

/// <summary>
/// The panel's own schema: its versioned SQL scripts (Storage/Migrations, one set for both databases,
/// embedded, in name order, once each), run with DbUp as the dispatch service runs its own, journalled in
/// <c>schema_migrations</c> of the panel's store. Only <c>dotnet Alice.Admin.dll migrate</c> runs them; the
/// panel refuses to start on a store that is missing or older than itself (<see cref="StoreOnStart"/>).
/// </summary>
internal sealed class PanelMigrator(PanelStore store, ILogger<PanelMigrator> logger)
{
    public const string Command = "dotnet Alice.Admin.dll migrate";

    public Task MigrateAsync(CancellationToken ct)
    {
        if (store.Provider == DatabaseProvider.Sqlite
            && Path.GetDirectoryName(Path.GetFullPath(new SqliteConnectionStringBuilder(store.ConnectionString).DataSource)) is { } folder)
            Directory.CreateDirectory(folder);
        var result = Upgrader().Build().PerformUpgrade();
        if (!result.Successful)
            throw new InvalidOperationException(result.ErrorScript is { } script
                ? $"Migration {script.Name} of the panel's store failed: {result.Error.Message}"
                : $"The panel's store migrations could not start: {result.Error.Message}", result.Error);
        foreach (var script in result.Scripts) logger.LogInformation("Applied panel store migration {Version}", script.Name);
        return Task.CompletedTask;
    }

    /// <summary>Why the panel cannot start on its store (it is not there, or not migrated), naming what to run; null when it can.</summary>
    public async Task<string?> ProblemAsync(CancellationToken ct)
    {
        try
        {
            // Opened as the panel opens it: a missing SQLite file is not made here, a missing database fails.
            await using var connection = await store.Source.OpenConnectionAsync(ct);
        }
        catch (DbException e)
        {
            // The type only: a driver's message can carry the connection string's host or user.
            return $"The panel's own store (Database:ConnectionString) cannot be opened ({e.GetType().Name}): it does not exist yet, or is not reachable. " +
                $"Run `{Command}` with the same settings (on PostgreSQL, once its database exists: infra/postgres makes alice_panel), then start the panel.";
        }
        var pending = Upgrader().Build().GetScriptsToExecute();
        return pending.Count == 0 ? null
            : $"The panel's store is older than this release ({pending.Count} migrations pending, first {pending[0].Name}). Run `{Command}` with the same settings, then start the panel.";
    }

    private UpgradeEngineBuilder Upgrader()
    {
        var builder = store.Provider == DatabaseProvider.Postgres
            ? DeployChanges.To.PostgresqlDatabase(store.ConnectionString).JournalToPostgresqlTable("public", "schema_migrations")
            : DeployChanges.To.SqliteDatabase(store.ConnectionString).JournalToSqliteTable("schema_migrations");
        return builder.WithScripts(Scripts()).WithTransactionPerScript().LogToNowhere();
    }

    /// <summary>
    /// The scripts, named by version (e.g. <c>V0001_panel</c>), in order: one set for both databases, written in
    /// SQL both speak (SQLite takes BIGINT as an integer, as it is on PostgreSQL).
    /// </summary>
    private static IEnumerable<SqlScript> Scripts()
    {
        var assembly = typeof(PanelMigrator).Assembly;
        const string folder = ".Storage.Migrations.";
        foreach (var resource in assembly.GetManifestResourceNames()
                     .Where(n => n.Contains(folder, StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal))
                     .Order(StringComparer.Ordinal))
        {
            using var stream = assembly.GetManifestResourceStream(resource)!;
            yield return new SqlScript(resource[(resource.IndexOf(folder, StringComparison.Ordinal) + folder.Length)..^4], new StreamReader(stream).ReadToEnd());
        }
    }
}

/// <summary>
/// First thing at start, before Data Protection reads its key ring from the store: a store that is missing
/// or not migrated stops the panel with a message that says what to run, instead of a login page that fails.
/// </summary>
internal sealed class StoreOnStart(PanelMigrator migrator, IOptions<PanelDatabaseOptions> options, TimeProvider clock, ILogger<StoreOnStart> logger) : IHostedService
{
    private static readonly TimeSpan Every = TimeSpan.FromSeconds(3);

    /// <summary>
    /// At boot the database, the store's migration and the panel start in any order: the panel waits for its
    /// store and key ring up to <c>Database:WaitSeconds</c>, saying so every few seconds, then gives up naming what to run.
    /// </summary>
    public async Task StartAsync(CancellationToken ct)
    {
        var deadline = clock.GetUtcNow().AddSeconds(options.Value.WaitSeconds);
        while (await migrator.ProblemAsync(ct) is { } problem)
        {
            var left = deadline - clock.GetUtcNow();
            if (left <= TimeSpan.Zero) throw new InvalidOperationException(problem);
            logger.LogWarning("Waiting for the panel's store and key ring: {Problem} Trying again in {Every} s, for {Left} s more at most (Database:WaitSeconds).",
                problem, Every.TotalSeconds, (int)left.TotalSeconds);
            await Task.Delay(Every, clock, ct);
        }
    }

    public Task StopAsync(CancellationToken ct) => Task.CompletedTask;
}
