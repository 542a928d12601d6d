using System.Net;
using Alice.Accounts;
using Alice.Admin.Tests.Support;
using Dapper;

namespace Alice.Admin.Tests;

/// <summary>
/// A stolen panel operator account reaches no further than the organisers: through the panel's pages it can
/// neither create a Centre account nor reset a Centre account's second factor, nor another operator's.
/// Centre accounts come only from the service's own command line.
/// </summary>
public class OperatorPowersTests(Panel panel) : IClassFixture<Panel>
{
    [Theory]
    [InlineData(Roles.Centre)]
    [InlineData(Roles.Operator)]
    public async Task An_operator_cannot_invite_a_centre_account_or_another_operator_through_the_pages(string role)
    {
        using var op = await Staff.LoggedInAsync(panel, Roles.Operator);
        var name = "x-" + Guid.NewGuid().ToString("N")[..8];

        var answer = await op.PostAsync("/operators/accounts/invite", await op.Client.GetStringAsync("/operators/accounts"), new() { ["name"] = name, ["role"] = role });

        Assert.Equal(HttpStatusCode.BadRequest, answer.StatusCode);
        Assert.DoesNotContain("/account/enrol?", await answer.Content.ReadAsStringAsync());
        Assert.Equal(0, await CountEverywhereAsync(name));
    }

    [Fact]
    public async Task The_invitation_form_offers_the_organiser_role_only()
    {
        using var op = await Staff.LoggedInAsync(panel, Roles.Operator);

        var page = await op.Client.GetStringAsync("/operators/accounts");

        Assert.Contains("<option>Organiser</option>", page);
        Assert.DoesNotContain("<option>Centre</option>", page);
        Assert.DoesNotContain("<option>Operator</option>", page);
    }

    [Fact]
    public async Task An_operator_cannot_reset_the_second_factor_of_a_centre_account()
    {
        var nurse = "nurse-" + Guid.NewGuid().ToString("N")[..6];
        await panel.DispatchAsync("accounts", "invite", nurse, "Centre");
        using var op = await Staff.LoggedInAsync(panel, Roles.Operator);
        var before = await ServiceAccountAsync(nurse);

        var answer = await op.PostAsync("/operators/accounts/reset", await op.Client.GetStringAsync("/operators/accounts"), new() { ["name"] = nurse });

        Assert.Equal(HttpStatusCode.BadRequest, answer.StatusCode);
        Assert.DoesNotContain("/account/enrol?", await answer.Content.ReadAsStringAsync());
        Assert.Equal(before, await ServiceAccountAsync(nurse));
    }

    [Fact]
    public async Task An_operator_cannot_reset_or_disable_another_operator()
    {
        using var other = await Staff.LoggedInAsync(panel, Roles.Operator);
        using var op = await Staff.LoggedInAsync(panel, Roles.Operator);
        var form = await op.Client.GetStringAsync("/operators/accounts");

        var reset = await op.PostAsync("/operators/accounts/reset", form, new() { ["name"] = other.Name });
        var disable = await op.PostAsync("/operators/accounts/disable", form, new() { ["name"] = other.Name });

        Assert.Equal(HttpStatusCode.BadRequest, reset.StatusCode);
        Assert.DoesNotContain("/account/enrol?", await reset.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.BadRequest, disable.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await other.Client.GetAsync("/operators/accounts")).StatusCode);
    }

    private async Task<long> CountEverywhereAsync(string name)
    {
        using var service = panel.Database.Open();
        return await service.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM accounts WHERE user_name = @name;", new { name }) + await panel.PanelAccountCountAsync(name);
    }

    private async Task<(string Stamp, string? Key, long TwoFactor)> ServiceAccountAsync(string name)
    {
        using var service = panel.Database.Open();
        return await service.QuerySingleAsync<(string, string?, long)>(
            "SELECT security_stamp, authenticator_key, two_factor_enabled FROM accounts WHERE user_name = @name;", new { name });
    }
}
