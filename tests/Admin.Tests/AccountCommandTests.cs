using Alice.Admin.Tests.Support;

namespace Alice.Admin.Tests;

/// <summary>
/// Each host's command line makes only its own accounts: the panel's organisers and operators, the
/// service's centre staff and operators. A Centre account is never made on the panel's server.
/// </summary>
public class AccountCommandTests(Panel panel) : IClassFixture<Panel>
{
    [Fact]
    public async Task The_panels_command_line_invites_organisers_and_operators_into_its_own_store()
    {
        var name = "org-" + Guid.NewGuid().ToString("N")[..6];

        var output = await PanelAsync("accounts", "invite", name, "Organiser");

        Assert.Contains("https://panel.example.test/account/enrol?id=", output);
        Assert.Equal(1, await panel.PanelAccountCountAsync(name));
        Assert.Contains(name, await PanelAsync("accounts", "list"));
    }

    [Fact]
    public async Task The_panels_command_line_refuses_a_centre_account()
    {
        var name = "nurse-" + Guid.NewGuid().ToString("N")[..6];

        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => PanelAsync("accounts", "invite", name, "Centre"));

        Assert.Contains("never Centre", refused.Message);
        Assert.Equal(0, await panel.PanelAccountCountAsync(name));
    }

    [Fact]
    public async Task The_panels_command_line_refuses_a_partner_account()
    {
        var name = "dispatch-" + Guid.NewGuid().ToString("N")[..6];

        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => PanelAsync("accounts", "invite", name, "Partner", "desk"));

        Assert.Contains("never Partner", refused.Message);
        Assert.Equal(0, await panel.PanelAccountCountAsync(name));
    }

    [Fact]
    public async Task The_services_command_line_refuses_an_organiser()
    {
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => panel.DispatchAsync("accounts", "invite", "org-" + Guid.NewGuid().ToString("N")[..6], "Organiser"));

        Assert.Contains("never Organiser", refused.Message);
    }

    /// <summary>`dotnet Alice.Admin.dll …` as an operator runs it on the panel's server, with the panel's settings.</summary>
    private Task<string> PanelAsync(params string[] args) => HostProcess.RunAsync("src/Admin", "Alice.Admin", args,
        new Dictionary<string, string>(panel.Settings.Select(s => KeyValuePair.Create(s.Key.Replace(":", "__"), s.Value!)))
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
        });
}
