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
        services.AddSingleton<SchemaOnStart>();
        services.AddHealthChecks().AddCheck<DatabaseReady>("database", tags: [Readiness.Tag]);
        return services;
    }

    /// <summary>
    /// At start: migrate (Development), or refuse a schema older than this release, naming the command.
    /// Runs first in the service's start order (see <see cref="Lifecycle"/>): the job store lives in this database.
    /// </summary>
    internal sealed class SchemaOnStart(Migrator migrator, IOptions<DatabaseOptions> options) : IHostedService
    {
        public async Task StartAsync(CancellationToken ct)
        {
            if (options.Value.MigrateOnStart)
            {
                await migrator.MigrateAsync(ct);
                return;
            }
            var pending = await migrator.PendingAsync(ct);
            if (pending.Count > 0)
                throw new InvalidOperationException(
                    $"The database schema is older than this release ({pending.Count} migrations pending, first {pending[0]}). " +
                    "Run `dotnet Alice.Dispatch.dll migrate` with the same settings, then start the service.");
        }

        public Task StopAsync(CancellationToken ct) => Task.CompletedTask;
    }

    /// <summary>Ready while a connection opens and answers.</summary>
    private sealed class DatabaseReady(Database database) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct)
        {
            try
            {
                await using var connection = await database.Recoverable.OpenConnectionAsync(ct);
                await using var command = connection.CreateCommand();
                command.CommandText = "SELECT 1;";
                await command.ExecuteScalarAsync(ct);
                return HealthCheckResult.Healthy();
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The type only: a driver's message can carry the connection string's host or user.
                return HealthCheckResult.Unhealthy($"The database does not answer ({e.GetType().Name}).");
            }
        }
    }
}
