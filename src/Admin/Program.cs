using Alice.Accounts;
using Alice.Web;
using Alice.Admin;
using Alice.Admin.Storage;
using Microsoft.Extensions.Options;

switch (args.FirstOrDefault())
{
    // `dotnet Alice.Admin.dll migrate` makes or upgrades the panel's own store and exits (same settings as the panel).
    case "migrate":
    {
        await using var tool = AdminHost.Build([.. args[1..], "--Logging:Console:LogToStandardErrorThreshold=Trace"]);
        await tool.Services.GetRequiredService<PanelMigrator>().MigrateAsync(CancellationToken.None);
        Console.WriteLine("The panel's store is up to date.");
        return 0;
    }
    // `dotnet Alice.Admin.dll rewrap-keys` stores the panel's whole key ring under its DataProtection:KeyEncryptionKey:
    // the last step of rotating that key (SECURITY.md), after which PreviousKeyEncryptionKeys can go.
    case "rewrap-keys":
    {
        await using var tool = AdminHost.Build([.. args[1..], "--Logging:Console:LogToStandardErrorThreshold=Trace"]);
        await tool.Services.GetRequiredService<StoreOnStart>().StartAsync(CancellationToken.None);
        Console.WriteLine($"{tool.Services.RewrapKeyRing()} keys of the panel's ring are stored under the current key-encryption key.");
        return 0;
    }
    // `dotnet Alice.Admin.dll remove-development-leftovers` deletes what Development left in the panel's store (unencrypted
    // keys of its ring, the development organiser): outside Development the panel refuses to start while they are there.
    case "remove-development-leftovers":
    {
        await using var tool = AdminHost.Build([.. args[1..], "--Logging:Console:LogToStandardErrorThreshold=Trace"]);
        await tool.Services.GetRequiredService<StoreOnStart>().StartAsync(CancellationToken.None);
        return await DevelopmentLeftovers.RunAsync(tool.Services, Console.Out, CancellationToken.None);
    }
    // `dotnet Alice.Admin.dll accounts …` creates, invites, disables and lists the panel's accounts (organisers and operators).
    case "accounts":
    {
        // The command's words come first; settings (--Section:Key=value) after them, as for the panel.
        var command = args[1..].TakeWhile(a => !a.StartsWith("--")).ToList();
        // Logs go to stderr, so what the command prints (a link, a code) is all that is on stdout.
        await using var tool = AdminHost.Build([.. args[(1 + command.Count)..], "--Logging:Console:LogToStandardErrorThreshold=Trace"]);
        await tool.Services.GetRequiredService<StoreOnStart>().StartAsync(CancellationToken.None);
        var publicBaseUrl = tool.Services.GetRequiredService<IOptions<AdminOptions>>().Value.PublicBaseUrl;
        return await AccountCommands.RunAsync(tool.Services, command, AdminHost.AccountRoles, publicBaseUrl, tool.Environment.IsDevelopment(), Console.Out, CancellationToken.None);
    }
    // The organisers' panel: `dotnet Alice.Admin.dll` with its own store and the service's published totals (see README).
    default:
        AdminHost.Build(args).Run();
        return 0;
}
