using System.Text.Json;
using System.Text.RegularExpressions;
using Alice.Signatures;
using Microsoft.Playwright;

namespace Alice.EndToEnd.Tests;

/// <summary>The service with a console partner ("desk") first, whose dispatchers run its bookings on the page, then the simulated API partner.</summary>
public sealed class PartnerDeskService : RunningService
{
    protected override Dictionary<string, string> DispatchSettings => new()
    {
        ["Partners__Providers__0__Name"] = "desk",
        ["Partners__Providers__0__Mode"] = "Console",
        ["Partners__Providers__0__BaseUrl"] = "",
        ["Partners__Providers__0__Secret"] = "",
        ["Partners__Providers__0__DispatchPhone"] = "+32470550150",
        ["Partners__Providers__0__AcceptWithinSeconds"] = "100",
        ["Partners__Providers__0__Account"] = "alice-development",
        ["Partners__Providers__1__Name"] = "simulator",
        ["Partners__Providers__1__BaseUrl"] = PartnerUrl,
        ["Partners__Providers__1__Secret"] = PartnerSecret,
        ["Partners__Providers__1__Account"] = "alice-development",
        // Long enough that the ride stays with the desk for the whole test.
        ["Partners__BudgetPerPartnerSeconds"] = "120",
        ["Partners__HandOverAfterSeconds"] = "300",
        ["Accounts__LoginAttemptsPerMinute"] = "1000",
    };
}

/// <summary>
/// A whole ride run from the partner's page in a real headless Chromium (accept with the car, driver arrived,
/// passenger on board, dropped off), with the centre's board and the caller's wait following it.
/// </summary>
[Collection(BrowserCollection.Name)]
public partial class PartnerDeskBrowserTests(PartnerDeskService service, Chromium chromium) : BrowserTest(chromium), IClassFixture<PartnerDeskService>
{
    private const string Password = "dispatch office passphrase";


    [Fact]
    public async Task A_whole_ride_is_run_from_the_partner_page_while_the_board_and_the_caller_s_wait_follow_it()
    {
        var desk = await NewPageAsync(new() { Locale = "fr-BE", ViewportSize = new() { Width = 1280, Height = 900 } });
        await LogInAsync(desk, "dina", await EnrolAsync(desk, await service.CommandAsync("accounts", "invite", "dina", "Partner", "desk")));
        await Assertions.Expect(desk).ToHaveURLAsync($"{service.DispatchUrl}/partner");
        var board = await NewPageAsync(new() { Locale = "fr-BE", ViewportSize = new() { Width = 1100, Height = 800 } });
        await LogInAsync(board, "nora", await EnrolAsync(board, await service.CommandAsync("accounts", "invite", "nora", "Centre")));
        await Assertions.Expect(board).ToHaveURLAsync($"{service.DispatchUrl}/centre");
        await desk.EvaluateAsync("window.stillTheSamePage = true");

        var (call, code) = await PlaceCallAsync();
        // The caller presses nothing more and listens: the call goes on until it ends (confirmed, or put through to a person).
        var listening = ListenAsync(call);

        // The booking appears on the page by itself, flashing, with what the API would carry.
        var row = desk.Locator("#bookings tr", new() { HasTextString = code });
        await Assertions.Expect(row).ToBeVisibleAsync(new() { Timeout = 5000 });
        await Assertions.Expect(row).ToHaveClassAsync(new Regex("signal"));
        await Assertions.Expect(row).ToContainTextAsync("Métro Alma");
        await Assertions.Expect(desk.Locator("#announce")).ToContainTextAsync(code);
        Assert.True(await desk.EvaluateAsync<bool>("window.stillTheSamePage === true"));
        await Screenshots.SaveAsync(desk, "partner-page");
        // Once the flash is over (its colours are the signal's, not the page's).
        await desk.WaitForFunctionAsync("() => document.getAnimations().length === 0", null, new() { Timeout = 10000 });
        await NoAxeViolationsAsync(desk);

        await row.GetByLabel("Arrivée au départ dans (minutes)").FillAsync("7");
        await row.GetByLabel("Voiture (marque, modèle, couleur)").FillAsync("Toyota Prius blanche");
        await row.GetByLabel("Plaque").FillAsync("1-ABC-234");
        await row.GetByRole(AriaRole.Button, new() { Name = "Accepter" }).ClickAsync();
        await Assertions.Expect(desk.Locator(".notice")).ToContainTextAsync("Enregistré.");
        await Assertions.Expect(row).ToContainTextAsync("Acceptée");
        var onBoard = board.Locator("#board tr", new() { HasTextString = code });
        await Assertions.Expect(onBoard).ToContainTextAsync("Toyota Prius blanche, 1-ABC-234", new() { Timeout = 5000 });
        // The caller was held while the booking was only offered (the hold tone), and hears it confirmed, with the
        // car only the acceptance gave, once the dispatcher accepted it.
        var heard = await listening.WaitAsync(TimeSpan.FromSeconds(30));
        var confirmed = heard.FindIndex(line => line.Contains("Votre taxi est confirmé."));
        Assert.True(confirmed > 0, string.Join("\n", heard));
        Assert.Contains("hold tone", heard[..confirmed]);
        Assert.Contains(heard[confirmed..], line => line.Contains("Toyota Prius blanche, 1-ABC-234"));
        Assert.Contains(heard[confirmed..], line => line.Contains("7 minutes"));

        await row.GetByRole(AriaRole.Button, new() { Name = "Chauffeur arrivé" }).ClickAsync();
        await Assertions.Expect(row).ToContainTextAsync("Chauffeur au départ");
        await row.GetByRole(AriaRole.Button, new() { Name = "Passager à bord" }).ClickAsync();
        await Assertions.Expect(onBoard).ToContainTextAsync("À bord", new() { Timeout = 5000 });
        await Assertions.Expect(onBoard).ToHaveClassAsync(new Regex("signal"));
        await row.GetByRole(AriaRole.Button, new() { Name = "Déposé au centre" }).ClickAsync();
        await Assertions.Expect(desk.Locator("#bookings tr", new() { HasTextString = code })).ToHaveCountAsync(0);
        // The board follows: off the rides coming, among the arrivals.
        await Assertions.Expect(board.Locator("#board tr", new() { HasTextString = code })).ToHaveCountAsync(0, new() { Timeout = 5000 });
        await Assertions.Expect(board.Locator("#board li[data-arrived]", new() { HasTextString = code })).ToBeVisibleAsync();
    }

    /// <summary>axe-core on the page as it is, at a desktop's width and a phone's, in light and dark.</summary>
    private static async Task NoAxeViolationsAsync(IPage page)
    {
        var found = await Axe.EverywhereAsync(page, "the partner page");
        Assert.True(found.Count == 0, string.Join("\n", found));
    }

    private Task<string> EnrolAsync(IPage page, string commandOutput) => StaffAtBrowser.EnrolAsync(page, service.DispatchUrl, commandOutput, Password);

    private Task LogInAsync(IPage page, string name, string secret) => StaffAtBrowser.LogInAsync(page, service.DispatchUrl, name, Password, secret);

    /// <summary>A call through the development phone: the metro pickup chosen, up to the code; the call's id and its code.</summary>
    private async Task<(string Call, string Code)> PlaceCallAsync()
    {
        using var http = await new HttpClient().WithPageTokenAsync(service.DispatchUrl);
        var call = await ReadAsync(await http.PostAsync($"{service.DispatchUrl}/dev/phone/calls", new StringContent("{}", null, "application/json")));
        var id = call.GetProperty("id").GetString()!;
        await ReadAsync(await http.PostAsync($"{service.DispatchUrl}/dev/phone/calls/{id}/wait", null));
        call = await ReadAsync(await http.PostAsync($"{service.DispatchUrl}/dev/phone/calls/{id}/keys/1", null));
        _heard[id] = Lines(call).Count;
        var code = Regex.Match(Said(call), @"Votre code est : (\d), (\d), (\d), (\d)");
        Assert.True(code.Success, Said(call));
        return (id, string.Concat(code.Groups.Values.Skip(1).Select(g => g.Value)));
    }

    /// <summary>What the caller hears from now until the call ends, line by line.</summary>
    private async Task<List<string>> ListenAsync(string id)
    {
        using var http = await new HttpClient { Timeout = TimeSpan.FromMinutes(5) }.WithPageTokenAsync(service.DispatchUrl);
        var lines = Lines(await ReadAsync(await http.PostAsync($"{service.DispatchUrl}/dev/phone/calls/{id}/wait", null)));
        return [.. lines.Skip(_heard[id])];
    }

    /// <summary>How many lines of each call were heard before the caller started listening.</summary>
    private readonly Dictionary<string, int> _heard = [];

    private static List<string> Lines(JsonElement call) => [.. call.GetProperty("lines").EnumerateArray().Select(l => l.GetProperty("text").GetString()!)];

    private static string Said(JsonElement call) => string.Join("\n", Lines(call));

    private static async Task<JsonElement> ReadAsync(HttpResponseMessage response)
    {
        response.EnsureSuccessStatusCode();
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }
}
