using System.Text.Json;
using System.Text.RegularExpressions;
using Alice.Accounts;
using Microsoft.Playwright;

namespace Alice.EndToEnd.Tests;

/// <summary>
/// The service for the console: the partner confirms quickly but the passenger stays on board (arrival is
/// marked at the centre), and a ride no partner confirms goes to a person after three seconds.
/// </summary>
public sealed class ConsoleService : RunningService
{
    public const string PartnerTimings = """{"acceptedAfterMs":200,"driverArrivedAfterMs":600,"onBoardAfterMs":1000,"droppedOffAfterMs":600000}""";

    protected override Dictionary<string, string> PartnerSettings => new()
    {
        ["Simulator__Faults__AcceptedAfterMs"] = "200",
        ["Simulator__Faults__DriverArrivedAfterMs"] = "600",
        ["Simulator__Faults__OnBoardAfterMs"] = "1000",
        ["Simulator__Faults__DroppedOffAfterMs"] = "600000",
    };

    protected override Dictionary<string, string> DispatchSettings => new()
    {
        ["Partners__HandOverAfterSeconds"] = "3",
        ["Partners__BudgetPerPartnerSeconds"] = "1",
        ["Partners__AttemptTimeoutSeconds"] = "1",
    };
}

/// <summary>The centre console in a real headless Chromium: accounts from the command, enrolment with the app's code, the live board.</summary>
public partial class CentreConsoleBrowserTests(ConsoleService service) : BrowserTest, IClassFixture<ConsoleService>
{
    private const string Password = "night shift passphrase";

    [GeneratedRegex(@"https?://\S+/account/enrol\?\S+")]
    private static partial Regex EnrolmentLink();

    [Fact]
    public async Task The_first_operator_is_created_by_the_command_enrols_with_the_app_and_logs_in()
    {
        var page = await Browser.NewPageAsync(new() { Locale = "fr-BE" });
        var secret = await EnrolAsync(page, await service.CommandAsync("accounts", "create-operator", "olivia"));
        await LogInAsync(page, "olivia", secret);

        await Assertions.Expect(page.Locator("h1")).ToContainTextAsync("olivia (Operator)");
        // An operator is not centre staff: the console is refused.
        await page.GotoAsync($"{service.DispatchUrl}/centre");
        await Assertions.Expect(page.Locator("h1")).ToContainTextAsync("n'a pas accès");
    }

    [Fact]
    public async Task A_call_appears_on_the_board_by_itself_and_the_nurse_marks_it_arrived_by_its_code()
    {
        var page = await Browser.NewPageAsync(new() { Locale = "fr-BE", ViewportSize = new() { Width = 1100, Height = 800 } });
        var secret = await EnrolAsync(page, await service.CommandAsync("accounts", "invite", "nina", "Centre"));
        await LogInAsync(page, "nina", secret);
        await Assertions.Expect(page).ToHaveURLAsync($"{service.DispatchUrl}/centre");
        await page.EvaluateAsync("window.stillTheSamePage = true");

        var code = await PlaceCallAsync("-1");

        // Within two seconds of the call, without a reload.
        var row = page.Locator("#board tr", new() { HasTextString = code });
        await Assertions.Expect(row).ToBeVisibleAsync(new() { Timeout = 2000 });
        await Assertions.Expect(row).ToContainTextAsync("Métro Alma");
        // The passenger on board is signalled: the centre is warned before the arrival.
        await Assertions.Expect(row).ToContainTextAsync("À bord", new() { Timeout = 5000 });
        await Assertions.Expect(row).ToHaveClassAsync(new Regex("signal"));
        Assert.True(await page.EvaluateAsync<bool>("window.stillTheSamePage === true"));
        Directory.CreateDirectory(Path.Combine(Repo.Root, "TestResults"));
        await page.ScreenshotAsync(new() { Path = Path.Combine(Repo.Root, "TestResults", "centre-board.png"), FullPage = true });

        await page.GetByLabel("Arrivée au centre").FillAsync(code);
        await page.GetByRole(AriaRole.Button, new() { Name = "Marquer arrivé·e" }).ClickAsync();
        await Assertions.Expect(page.Locator(".notice")).ToContainTextAsync($"Arrivée enregistrée pour le code {code}");
        await Assertions.Expect(page.Locator("#board tr", new() { HasTextString = code })).ToHaveCountAsync(0);

        // Logged out: the console sends to the login page.
        await page.GetByRole(AriaRole.Button, new() { Name = "Se déconnecter" }).ClickAsync();
        await page.GotoAsync($"{service.DispatchUrl}/centre");
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/account/login"));
    }

    [Fact]
    public async Task A_ride_no_partner_confirms_puts_an_alert_on_top_of_the_board_that_a_nurse_takes()
    {
        var page = await Browser.NewPageAsync(new() { Locale = "fr-BE", ViewportSize = new() { Width = 390, Height = 844 } });
        var secret = await EnrolAsync(page, await service.CommandAsync("accounts", "invite", "noor", "Centre"));
        await LogInAsync(page, "noor", secret);
        using var http = new HttpClient();
        await http.PostAsync($"{service.PartnerUrl}/faults?downForSeconds=20", new StringContent(ConsoleService.PartnerTimings, null, "application/json"));

        var code = await PlaceCallAsync("-1");

        var alert = page.Locator(".alert", new() { HasTextString = code });
        await Assertions.Expect(alert).ToBeVisibleAsync(new() { Timeout = 10000 });
        await Assertions.Expect(alert).ToContainTextAsync("Aucun taxi n'a confirmé");
        await alert.GetByRole(AriaRole.Button, new() { Name = "Je m'en occupe" }).ClickAsync();
        await Assertions.Expect(page.Locator(".alert", new() { HasTextString = code })).ToContainTextAsync("Pris en charge par noor");
        // Usable on a phone: nothing wider than the screen.
        Assert.False(await page.EvaluateAsync<bool>("document.documentElement.scrollWidth > window.innerWidth"));
    }

    /// <summary>Follows the link the command printed, scans the secret (read off the page) and types the app's code.</summary>
    private async Task<string> EnrolAsync(IPage page, string commandOutput)
    {
        var link = EnrolmentLink().Match(commandOutput).Value;
        Assert.StartsWith(service.DispatchUrl, link);
        await page.GotoAsync(link);
        var secret = (await page.Locator("#secret").TextContentAsync())!;
        await page.GetByLabel("Mot de passe").FillAsync(Password);
        await page.GetByLabel("Code de l'application").FillAsync(Totp.Code(secret, DateTimeOffset.UtcNow));
        await page.GetByRole(AriaRole.Button, new() { Name = "Continuer" }).ClickAsync();
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Vos codes de secours");
        await Assertions.Expect(page.Locator(".codes li")).ToHaveCountAsync(10);
        return secret;
    }

    private async Task LogInAsync(IPage page, string name, string secret)
    {
        await page.GotoAsync($"{service.DispatchUrl}/account/login");
        await page.GetByLabel("Identifiant").FillAsync(name);
        await page.GetByLabel("Mot de passe").FillAsync(Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Continuer" }).ClickAsync();
        await page.GetByLabel("Le code à 6 chiffres").FillAsync(Totp.Code(secret, DateTimeOffset.UtcNow));
        await page.GetByRole(AriaRole.Button, new() { Name = "Connexion" }).ClickAsync();
    }

    /// <summary>A simulated call through the development phone, up to the moment the code is heard; the code.</summary>
    private async Task<string> PlaceCallAsync(string keys)
    {
        using var http = new HttpClient();
        var call = await ReadAsync(await http.PostAsync($"{service.DispatchUrl}/dev/phone/calls", JsonContent(new { })));
        var id = call.GetProperty("id").GetString();
        foreach (var key in keys)
            call = await ReadAsync(await http.PostAsync(key == '-'
                ? $"{service.DispatchUrl}/dev/phone/calls/{id}/wait"
                : $"{service.DispatchUrl}/dev/phone/calls/{id}/keys/{Uri.EscapeDataString(key.ToString())}", null));
        var said = string.Join("\n", call.GetProperty("lines").EnumerateArray().Select(l => l.GetProperty("text").GetString()));
        var code = Regex.Match(said, @"Votre code est : (\d), (\d), (\d), (\d)");
        Assert.True(code.Success, said);
        return string.Concat(code.Groups.Values.Skip(1).Select(g => g.Value));
    }

    private static async Task<JsonElement> ReadAsync(HttpResponseMessage response)
    {
        response.EnsureSuccessStatusCode();
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    private static StringContent JsonContent(object value) => new(JsonSerializer.Serialize(value), null, "application/json");
}
