using Alice.Accounts;
using Alice.Web;
using Alice.Dispatch;
using Alice.Dispatch.Campuses;
using Alice.Dispatch.Partners;
using Alice.Dispatch.Storage;
using Alice.Dispatch.Telephony;
using Alice.Dispatch.Twilio;
using Microsoft.Extensions.Options;

switch (args.FirstOrDefault())
{
    // `dotnet Alice.Dispatch.dll migrate` applies the database migrations and exits (same settings as the service).
    case "migrate":
    {
        await using var tool = DispatchHost.Build(args[1..]);
        await Migrator.MigrateAllAsync(tool.Services, CancellationToken.None);
        return 0;
    }
    // `dotnet Alice.Dispatch.dll rewrap-keys` stores the whole key ring under DataProtection:KeyEncryptionKey: the
    // last step of rotating that key (SECURITY.md), after which PreviousKeyEncryptionKeys can go.
    case "rewrap-keys":
    {
        await using var tool = DispatchHost.Build([.. args[1..], "--Logging:Console:LogToStandardErrorThreshold=Trace"]);
        await tool.Services.GetRequiredService<StorageExtensions.SchemaOnStart>().StartAsync(CancellationToken.None);
        Console.WriteLine($"{tool.Services.RewrapKeyRing()} keys of the ring are stored under the current key-encryption key.");
        return 0;
    }
    // `dotnet Alice.Dispatch.dll accounts …` creates, invites, disables and lists staff accounts (see AccountCommands).
    case "accounts":
    {
        // The command's words come first; settings (--Section:Key=value) after them, as for the service.
        var command = args[1..].TakeWhile(a => !a.StartsWith("--")).ToList();
        // Logs go to stderr, so what the command prints (a link, a code) is all that is on stdout.
        await using var tool = DispatchHost.Build([.. args[(1 + command.Count)..], "--Logging:Console:LogToStandardErrorThreshold=Trace"]);
        await tool.Services.GetRequiredService<StorageExtensions.SchemaOnStart>().StartAsync(CancellationToken.None);
        var publicBaseUrl = tool.Services.GetRequiredService<IOptions<TwilioOptions>>().Value.PublicBaseUrl;
        // The service's accounts are the centre's staff, its operators and the console partners' dispatchers; organisers are the panel's own.
        // The partners are read only for a Partner account: every other command runs without them configured.
        return await AccountCommands.RunAsync(tool.Services, command, [Roles.Centre, Roles.Operator, Roles.Partner], publicBaseUrl, tool.Environment.IsDevelopment(),
            Console.Out, CancellationToken.None, partner => tool.Services.GetRequiredService<IOptions<PartnerOptions>>().Value.AccountProblem(partner));
    }
    // `dotnet Alice.Dispatch.dll remove-development-leftovers` deletes what Development left in the database (unencrypted
    // keys of the ring, the development accounts): outside Development the service refuses to start while they are there.
    case "remove-development-leftovers":
    {
        await using var tool = DispatchHost.Build([.. args[1..], "--Logging:Console:LogToStandardErrorThreshold=Trace"]);
        await tool.Services.GetRequiredService<StorageExtensions.SchemaOnStart>().StartAsync(CancellationToken.None);
        return await DevelopmentLeftovers.RunAsync(tool.Services, Console.Out, CancellationToken.None);
    }
    // `dotnet Alice.Dispatch.dll fallback-twiml` prints, per campus, the TwiML Bin its number's fallback URL must serve (see README).
    case "fallback-twiml":
    {
        // Logs to stderr: stdout is the documents alone. The settings are validated as the service's are.
        await using var tool = DispatchHost.Build([.. args[1..], "--Logging:Console:LogToStandardErrorThreshold=Trace"]);
        FallbackTwiml.Print(tool.Services.GetRequiredService<CampusDirectory>(), tool.Services.GetRequiredService<Voices>(), Console.Out);
        return 0;
    }
    default:
        DispatchHost.Build(args).Run();
        return 0;
}
