namespace Alice.Dispatch.Storage;

internal static class StorageExtensions
{
    public static IServiceCollection AddStorage(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<DatabaseOptions, DatabaseOptions.Validator>(configuration, DatabaseOptions.Section);
        services.AddSingleton<Database>();
        services.AddSingleton<Migrator>();
        // Runs before the job scheduler starts (hosted services start in registration order).
        services.AddHostedService<MigrateOnStart>();
        return services;
    }

    private sealed class MigrateOnStart(Migrator migrator) : IHostedService
    {
        public Task StartAsync(CancellationToken ct) => migrator.MigrateAsync(ct);
        public Task StopAsync(CancellationToken ct) => Task.CompletedTask;
    }
}
