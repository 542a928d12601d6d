using System.Net;
using Alice.Accounts;
using Alice.Dispatch.Storage;
using Alice.Dispatch.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Alice.Dispatch.Tests;

/// <summary>
/// A database Development used must not go into service as it is: its key ring was written unencrypted and
/// its development accounts have their passwords in the repository. Production refuses to start on it,
/// naming the command that removes them; after the command it starts.
/// </summary>
public class DevelopmentLeftoversTests(PartnerSimulatorHost partner) : IClassFixture<PartnerSimulatorHost>
{
    [Fact]
    public async Task Production_on_a_ring_development_wrote_unencrypted_refuses_to_start_until_the_command_removed_its_keys()
    {
        // Development without a key-encryption key writes the ring's first key as it is.
        await using var development = new DispatchApp(partner, environment: "Development", settings: new() { ["DataProtection:KeyEncryptionKey"] = "" });
        development.CreateClient().Dispose();
        Assert.Contains(await development.ColumnAsync<string>("SELECT xml FROM data_protection_keys;"), xml => !xml.Contains("encryptedKey"));
        await development.StopAsync();

        await using var production = development.OnTheSameDatabase([partner], "Production");
        var refusal = await StartFailureAsync(production);
        Assert.Contains("stored unencrypted", refusal);
        Assert.Contains("Run `dotnet Alice.Dispatch.dll remove-development-leftovers`", refusal);

        var said = await RunCommandAsync(production);
        Assert.Contains("unencrypted key(s) of the Data Protection ring", said);
        Assert.Contains("can no longer be read", said);
        Assert.Equal(HttpStatusCode.OK, (await production.CreateClient().GetAsync("/readyz")).StatusCode);
        Assert.All(await production.ColumnAsync<string>("SELECT xml FROM data_protection_keys;"), xml => Assert.Contains("encryptedKey", xml));
    }

    [Fact]
    public async Task Production_with_a_development_account_refuses_to_start_whether_its_password_or_its_set_up_gives_it_away()
    {
        await using var first = new DispatchApp(partner);
        await using (var scope = first.Services.CreateAsyncScope())
        {
            var accounts = scope.ServiceProvider.GetRequiredService<AccountService>();
            // What `accounts development-centre` makes in Development, and a real account beside it.
            Assert.Null(await accounts.EnsureDevelopmentAccountAsync(AccountCommands.DevelopmentUser, Roles.Centre, AccountCommands.DevelopmentPassword, default));
            Assert.Null((await accounts.InviteAsync("real-nurse", Roles.Centre, "an operator", default)).Error);
        }
        await first.StopAsync();
        await using var production = first.OnTheSameDatabase([partner], "Production");

        Assert.Contains("the development account(s) centre", await StartFailureAsync(production));
        // Its set-up's audit entry gone: its password still gives it away.
        var setUp = await production.ColumnAsync<string>("SELECT id FROM audit_log WHERE actor = 'development set-up';");
        using (var db = production.Database.Open())
            Dapper.SqlMapper.Execute(db, "DELETE FROM audit_log WHERE actor = 'development set-up';");
        Assert.Contains("the development account(s) centre", await StartFailureAsync(production));
        Assert.NotEmpty(setUp);

        var said = await RunCommandAsync(production);
        Assert.Contains("Removed the development account(s) centre", said);
        Assert.Equal(HttpStatusCode.OK, (await production.CreateClient().GetAsync("/readyz")).StatusCode);
        Assert.Equal(["real-nurse"], await production.ColumnAsync<string>("SELECT user_name FROM accounts;"));
        Assert.Equal(1L, await production.ScalarAsync("SELECT COUNT(*) FROM audit_log WHERE action = 'account.removed' AND subject = 'centre';"));
    }

    [Fact]
    public async Task An_account_the_development_set_up_made_is_a_leftover_even_with_a_password_changed_since()
    {
        await using var first = new DispatchApp(partner);
        await using (var scope = first.Services.CreateAsyncScope())
            Assert.Null(await scope.ServiceProvider.GetRequiredService<AccountService>()
                .EnsureDevelopmentAccountAsync(AccountCommands.DevelopmentOrganiser, Roles.Organiser, AccountCommands.DevelopmentOrganiserPassword, default));
        await first.StopAsync();
        using (var db = first.Database.Open())
            Dapper.SqlMapper.Execute(db, "UPDATE accounts SET password_hash = @hash;",
                new { hash = new Microsoft.AspNetCore.Identity.PasswordHasher<Account>().HashPassword(new Account(), "a passphrase of the organiser's own") });

        await using var production = first.OnTheSameDatabase([partner], "Production");
        Assert.Contains("the development account(s) organiser", await StartFailureAsync(production));
    }

    /// <summary>What `dotnet Alice.Dispatch.dll remove-development-leftovers` runs, with the service's settings; what it prints.</summary>
    private static async Task<string> RunCommandAsync(DispatchApp app)
    {
        await using var tool = app.BuildHost();
        var output = new StringWriter();
        Assert.Equal(0, await DevelopmentLeftovers.RunAsync(tool.Services, output, default));
        return output.ToString();
    }

    private static async Task<string> StartFailureAsync(DispatchApp app)
    {
        await using var host = app.BuildHost();
        return (await Assert.ThrowsAnyAsync<InvalidOperationException>(() => host.StartAsync())).Message;
    }
}
