using Microsoft.AspNetCore.Builder;
using Alice.Accounts;
using Alice.Admin.Tests.Support;

namespace Alice.Admin.Tests;

/// <summary>
/// A panel store Development used must not go into service as it is: its key ring was written without a
/// key-encryption key and its development organiser has its password in the repository. Outside
/// Development the panel refuses to start on it, naming its own command; after the command it starts.
/// </summary>
public class PanelLeftoversTests
{
    private const string Url = "http://localhost:5100";

    [Fact]
    public async Task A_store_development_used_refuses_a_production_start_until_the_panels_command_removed_what_it_left()
    {
        await using var panel = new Panel(); // its store only: nothing started on it yet
        var development = new Dictionary<string, string?>(panel.Settings) { ["DataProtection:KeyEncryptionKey"] = "" };
        await Panel.MigratePanelAsync(panel.Settings);
        await using (var tool = Build(development, "Development"))
            Assert.Equal(0, await AccountCommands.RunAsync(tool.Services, ["development-organiser", Url], AdminHost.AccountRoles, Url, development: true, TextWriter.Null, default));

        await using (var refused = Build(panel.Settings, "Production"))
        {
            var error = await Assert.ThrowsAsync<InvalidOperationException>(() => refused.StartAsync());
            Assert.Contains("dotnet Alice.Admin.dll remove-development-leftovers", error.Message);
            Assert.Contains(AccountCommands.DevelopmentOrganiser, error.Message);
            Assert.Contains("unencrypted", error.Message);
        }
        await using (var tool = Build(panel.Settings, "Production"))
            Assert.Equal(0, await DevelopmentLeftovers.RunAsync(tool.Services, TextWriter.Null, default));

        await using var started = Build(panel.Settings, "Production");
        await started.StartAsync(); // the control: the same start, once the leftovers are gone
        await started.StopAsync();
    }

    private static WebApplication Build(IReadOnlyDictionary<string, string?> settings, string environment) =>
        AdminHost.Build([.. settings.Select(s => $"--{s.Key}={s.Value}"), "--environment", environment, "--urls", "http://127.0.0.1:0"]);
}
