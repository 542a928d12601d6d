using Alice.Dispatch.Storage.Postgres;
using Alice.Dispatch.Storage.Sqlite;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Alice.Dispatch.Storage;

internal static class StorageExtensions
{
    /// <summary>The database chosen by <c>Database:Provider</c>, its migrations, and its readiness check.</summary>
    public static IServiceCollection AddStorage(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<DatabaseOptions, DatabaseOptions.Validator>(configuration, DatabaseOptions.Section);
        services.AddSingleton<Database>(provider => provider.GetRequiredService<IOptions<DatabaseOptions>>().Value.Provider switch
        {
            DatabaseProvider.Postgres => ActivatorUtilities.CreateInstance<PostgresDatabase>(provider),
            _ => ActivatorUtilities.CreateInstance<SqliteDatabase>(provider),
        });
        services.AddSingleton<Migrator>();
        services.AddSingleton<DatabaseWait>();
        services.AddSingleton<SchemaOnStart>();
        services.AddHealthChecks().AddCheck<DatabaseReady>("database", tags: [Readiness.Tag]);
        return services;
    }

    /// <summary>
    /// At start: migrate (Development), or refuse a schema older than this release, naming the command.
    /// Runs first in the service's start order (see <see cref="Lifecycle"/>): the job store lives in this database.
    /// </summary>
    internal sealed class SchemaOnStart(Migrator migrator, DatabaseWait wait, Database database, IOptions<DatabaseOptions> options) : IHostedService
    {
        public async Task StartAsync(CancellationToken ct)
        {
            if (options.Value.MigrateOnStart)
            {
                await migrator.MigrateAsync(ct);
                return;
            }
            // Not listening meanwhile: nginx sends the calls to an instance that is ready.
            await wait.UntilDoneAsync("Waiting for the database schema", async ct =>
            {
                var pending = await migrator.PendingAsync(ct);
                return pending.Count == 0 ? null :
                    $"The database schema is older than this release ({pending.Count} migrations pending, first {pending[0]}). " +
                    "Run `dotnet Alice.Dispatch.dll migrate` with the same settings, then start the service.";
            }, ct);
        }

        /// <summary>Stops last (see <see cref="Lifecycle"/>): nothing of the service uses the database after it.</summary>
        public Task StopAsync(CancellationToken ct)
        {
            database.CloseConnections();
            return Task.CompletedTask;
        }
    }

    /// <summary>
    /// Ready while the database can be written to within a short bound: nginx then sends calls elsewhere,
    /// and the check turns ready by itself once the database is back, with no restart. The probe is raced
    /// against the bound rather than cancelled: SQLite's busy wait cannot be interrupted, and it ends
    /// within <c>Database:TimeoutSeconds</c> anyway.
    /// </summary>
    internal sealed class DatabaseReady(Database database, TimeProvider clock) : IHealthCheck
    {
        public static readonly TimeSpan Within = TimeSpan.FromSeconds(2);

        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct)
        {
            // On a pool thread: SQLite's busy wait blocks the thread that calls it, even through an async method.
            var probe = Task.Run(() => database.ProbeWriteAsync(ct), ct);
            try
            {
                await probe.WaitAsync(Within, clock, ct);
                return HealthCheckResult.Healthy();
            }
            catch (TimeoutException)
            {
                // Observed later, so its eventual failure is not reported as unobserved.
                _ = probe.ContinueWith(t => t.Exception, TaskContinuationOptions.OnlyOnFaulted);
                return HealthCheckResult.Unhealthy($"The database cannot be written to within {Within.TotalSeconds:0} s.");
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The type only: a driver's message can carry the connection string's host or user.
                return HealthCheckResult.Unhealthy($"The database cannot be written to ({e.GetType().Name}).");
            }
        }
    }
}
