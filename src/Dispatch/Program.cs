using Alice.Dispatch;
using Alice.Dispatch.Storage;

// `dotnet Alice.Dispatch.dll migrate` applies the database migrations and exits (same settings as the service).
if (args.FirstOrDefault() == "migrate")
{
    await using var tool = DispatchHost.Build(args[1..]);
    await Migrator.MigrateAllAsync(tool.Services, CancellationToken.None);
    return;
}
DispatchHost.Build(args).Run();
