using System.Net;
using Alice.Accounts;
using Alice.Dispatch.Tests.Support;

namespace Alice.Dispatch.Tests;

/// <summary>
/// Accounts of the console change only from the server's command line, and every change is told to the
/// centre: a text to each campus's on-call phone, and a list on the console's board. A login someone made
/// for themselves, or a second factor reset behind the centre's back, does not go unseen.
/// </summary>
public class AccountChangeTests
{
    private const string CommandLine = "server command line";

    [Fact]
    public async Task Every_account_change_is_texted_to_the_on_call_phone_and_shown_on_the_board()
    {
        await using var partner = new PartnerSimulatorHost();
        await partner.InitializeAsync();
        await using var twilio = await TwilioSimulatorHost.StartAsync();
        await using var app = new DispatchApp(partner, settings: new(twilio.Settings));
        var name = "nurse-" + Guid.NewGuid().ToString("N")[..6];

        var output = new StringWriter();
        Assert.Equal(0, await AccountCommands.RunAsync(app.Services, ["invite", name, "Centre"], [Roles.Centre, Roles.Operator], DispatchApp.PublicBaseUrl, development: false, output, default));
        var link = output.ToString().Split('\n').Single(l => l.StartsWith(DispatchApp.PublicBaseUrl)).Trim()[DispatchApp.PublicBaseUrl.Length..];
        using (var person = new Staff(app)) Assert.Equal(HttpStatusCode.OK, (await person.EnrolAsync(link)).StatusCode);
        // The second factor reset and the disabling, from the same command line: the only place a Centre account changes.
        output.GetStringBuilder().Clear();
        Assert.Equal(0, await AccountCommands.RunAsync(app.Services, ["reset", name], [Roles.Centre, Roles.Operator], DispatchApp.PublicBaseUrl, development: false, output, default));
        Assert.Contains(output.ToString().Split('\n'), l => l.StartsWith(DispatchApp.PublicBaseUrl + "/account/enrol?"));
        Assert.Equal(0, await AccountCommands.RunAsync(app.Services, ["disable", name], [Roles.Centre, Roles.Operator], DispatchApp.PublicBaseUrl, development: false, output, default));

        string[] expected =
        [
            $"Alice: account {name} (Centre) invited by {CommandLine} at ",
            $"Alice: account {name} (Centre) enrolled by {name} at ",
            $"Alice: account {name} (Centre) second factor reset by {CommandLine} at ",
            $"Alice: account {name} (Centre) disabled by {CommandLine} at ",
        ];
        var sent = await twilio.SentWhen(all => expected.All(e => all.Any(m => m.Text.StartsWith(e))));
        var texts = sent.Where(m => m.Text.Contains(name)).ToList();
        Assert.All(texts, m => Assert.Equal(("message", CampusNumbers.OnCall, CampusNumbers.Hotline), (m.Kind, m.To, m.From)));
        Assert.Equal(4, texts.Count);

        using var centre = await Staff.LoggedInAsync(app, Roles.Centre);
        var board = WebUtility.HtmlDecode(await centre.Client.GetStringAsync("/centre/board?lang=en"));
        var changes = board[board.IndexOf("account-changes", StringComparison.Ordinal)..];
        Assert.Contains($"{name} (Centre) invited by {CommandLine}", changes);
        Assert.Contains($"{name} (Centre) enrolled by {name}", changes);
        Assert.Contains($"{name} (Centre) second factor reset by {CommandLine}", changes);
        Assert.Contains($"{name} (Centre) disabled by {CommandLine}", changes);
    }
}
