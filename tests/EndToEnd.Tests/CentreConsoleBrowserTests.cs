using System.Text.Json;
using System.Text.RegularExpressions;
using Alice.Signatures;
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
        ["Centre__WatchEverySeconds"] = "1",
        ["Centre__EscalateAfterSeconds"] = EscalateAfterSeconds.ToString(),
        // Each test enrols and logs in a person of its own, within the same minute; the limit is tested on its own.
        ["Accounts__LoginAttemptsPerMinute"] = "1000",
    };

    /// <summary>Short, so a test sees an escalation; long enough for a person to take the alert before it.</summary>
    public const int EscalateAfterSeconds = 10;
    public const string OnCallNumber = "+32470550198";
    public const string EscalationNumber = "+32470550197";

    /// <summary>The partner as configured, or down for this long (the tests of a class share the partner: each says what it needs).</summary>
    public async Task SetPartnerAsync(int downForSeconds = 0)
    {
        using var http = new HttpClient();
        (await http.PostAsync($"{PartnerUrl}/faults?downForSeconds={downForSeconds}", new StringContent(PartnerTimings, null, "application/json"))).EnsureSuccessStatusCode();
    }

    /// <summary>The police requests the zone's receiver accepted (their signature was right), as it received them.</summary>
    public async Task<List<JsonElement>> PoliceReceivedAsync()
    {
        using var http = new HttpClient();
        var received = JsonDocument.Parse(await http.GetStringAsync($"{PoliceUrl}/received")).RootElement;
        return received.EnumerateArray().Select(r => r.GetProperty("body").Clone()).ToList();
    }

    /// <summary>What the Twilio simulator was asked to send, as (kind, to, text).</summary>
    public async Task<List<(string Kind, string To, string Text)>> SentAsync()
    {
        using var http = new HttpClient();
        var sent = JsonDocument.Parse(await http.GetStringAsync($"{TwilioUrl}/sent")).RootElement;
        return sent.EnumerateArray().Select(s => (s.GetProperty("kind").GetString()!, s.GetProperty("to").GetString()!, s.GetProperty("text").GetString()!)).ToList();
    }
}

/// <summary>The centre console in a real headless Chromium: accounts from the command, enrolment with the app's code, the live board.</summary>
[Collection(BrowserCollection.Name)]
public partial class CentreConsoleBrowserTests(ConsoleService service, Chromium chromium) : BrowserTest(chromium), IClassFixture<ConsoleService>
{
    private const string Password = "night shift passphrase";


    [Fact]
    public async Task The_first_operator_is_created_by_the_command_enrols_with_the_app_and_logs_in()
    {
        var page = await NewPageAsync(new() { Locale = "fr-BE" });
        var secret = await EnrolAsync(page, await service.CommandAsync("accounts", "create-operator", "olivia"));
        await LogInAsync(page, "olivia", secret);

        await Assertions.Expect(page.Locator("h1")).ToContainTextAsync("olivia (Operator)");
        // The operators' own page, the audit: read by axe at both widths, light and dark.
        await page.GotoAsync($"{service.DispatchUrl}/account/audit");
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Journal d'audit");
        await Assertions.Expect(page.Locator("table.rides tbody tr").First).ToBeVisibleAsync();
        var found = await Axe.EverywhereAsync(page, "the audit");
        Assert.True(found.Count == 0, string.Join("\n", found));
        // An operator is not centre staff: the console, and its police action, are refused.
        await page.GotoAsync($"{service.DispatchUrl}/centre");
        await Assertions.Expect(page.Locator("h1")).ToContainTextAsync("n'a pas accès");
        await page.GotoAsync($"{service.DispatchUrl}/centre/rides/any/police");
        await Assertions.Expect(page.Locator("h1")).ToContainTextAsync("n'a pas accès");
    }

    [Fact]
    public async Task A_call_appears_on_the_board_by_itself_and_the_nurse_marks_it_arrived_by_its_code()
    {
        var page = await NewPageAsync(new() { Locale = "fr-BE", ViewportSize = new() { Width = 1100, Height = 800 } });
        var secret = await EnrolAsync(page, await service.CommandAsync("accounts", "invite", "nina", "Centre"));
        await LogInAsync(page, "nina", secret);
        await Assertions.Expect(page).ToHaveURLAsync($"{service.DispatchUrl}/centre");
        await page.EvaluateAsync("window.stillTheSamePage = true");
        await service.SetPartnerAsync();

        var code = await PlaceCallAsync("-1");

        // Within two seconds of the call, without a reload.
        var row = page.Locator("#board tr", new() { HasTextString = code });
        await Assertions.Expect(row).ToBeVisibleAsync(new() { Timeout = 2000 });
        await Assertions.Expect(row).ToContainTextAsync("Métro Alma");
        // The passenger on board is signalled: the centre is warned before the arrival.
        await Assertions.Expect(row).ToContainTextAsync("À bord", new() { Timeout = 5000 });
        await Assertions.Expect(row).ToHaveClassAsync(new Regex("signal"));
        Assert.True(await page.EvaluateAsync<bool>("window.stillTheSamePage === true"));
        // What is expected next says what it is: the passenger is on board, so not the pickup.
        await Assertions.Expect(row).Not.ToContainTextAsync("prise en charge");
        await Screenshots.SaveAsync(page, "centre-board");
        // On a phone each ride is a card whose values carry their labels.
        await page.SetViewportSizeAsync(390, 844);
        await Assertions.Expect(row.Locator("td[data-label='Voiture']")).ToBeVisibleAsync();
        // Read until the narrow layout shows: a run once read the label empty right after the resize.
        await Eventually.Value(() => row.Locator("td[data-label='Voiture']").EvaluateAsync<string>("td => getComputedStyle(td, '::before').content.replaceAll('\"', '')"),
            label => label == "Voiture", "on a phone, the car's value shows its label \"Voiture\" before it", TimeSpan.FromSeconds(5));
        await page.SetViewportSizeAsync(1100, 800);

        // Before arrival there is no police action for the ride.
        await Assertions.Expect(page.Locator("#board a.police")).ToHaveCountAsync(0);

        await page.GetByLabel("Arrivée au centre").FillAsync(code);
        await page.GetByRole(AriaRole.Button, new() { Name = "Marquer arrivé·e" }).ClickAsync();
        await Assertions.Expect(page.Locator(".notice")).ToContainTextAsync($"Arrivée enregistrée pour le code {code}");
        await Assertions.Expect(page.Locator("#board tr", new() { HasTextString = code })).ToHaveCountAsync(0);

        // At the centre, the person asks for the police: the confirmation says what is sent, to whom.
        await page.Locator(".arrived li", new() { HasTextString = code }).GetByRole(AriaRole.Link, new() { Name = "La personne demande la police" }).ClickAsync();
        await Assertions.Expect(page.Locator("main")).ToContainTextAsync("Zone de police Montgomery");
        await Assertions.Expect(page.Locator("main")).ToContainTextAsync("Rien sur la personne");
        // The box stands before its words, on their line, large enough to tick.
        var box = (await page.GetByLabel("La personne me l'a demandé").BoundingBoxAsync())!;
        var words = (await page.Locator("label.check").BoundingBoxAsync())!;
        Assert.True(box.Width >= 20 && box.Height >= 20, $"the box is {box.Width}×{box.Height} px");
        Assert.True(box.Y >= words.Y && box.Y + box.Height <= words.Y + words.Height && box.X <= words.X + 1, "the box is not on its words' line, before them");
        await Screenshots.SaveAsync(page, "police-page");
        await page.GetByLabel("La personne me l'a demandé").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Prévenir la police" }).ClickAsync();
        await Assertions.Expect(page.Locator(".police-requests li", new() { HasTextString = code })).ToContainTextAsync("reçue par la zone", new() { Timeout = 10000 });
        var received = await service.PoliceReceivedAsync();
        var request = Assert.Single(received, r => r.GetProperty("bookingReference").GetString() == code);
        await Assertions.Expect(page.Locator(".police-requests li", new() { HasTextString = code })).ToContainTextAsync("demandée par nina");
        Assert.DoesNotContain("Alma", request.ToString()); // nothing about where the person was

        // Logged out: the console sends to the login page.
        await page.GetByRole(AriaRole.Button, new() { Name = "Se déconnecter" }).ClickAsync();
        await page.GotoAsync($"{service.DispatchUrl}/centre");
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/account/login"));
    }

    [Fact]
    public async Task Alerts_no_partner_confirmed_reach_the_on_call_phone_and_only_the_one_nobody_takes_is_escalated()
    {
        var page = await NewPageAsync(new() { Locale = "fr-BE", ViewportSize = new() { Width = 390, Height = 844 } });
        var secret = await EnrolAsync(page, await service.CommandAsync("accounts", "invite", "noor", "Centre"));
        await LogInAsync(page, "noor", secret);
        await service.SetPartnerAsync(downForSeconds: 60);

        var taken = await PlaceCallAsync("-1");
        var left = await PlaceCallAsync("-2");

        var alert = page.Locator(".alert", new() { HasTextString = taken });
        await Assertions.Expect(alert).ToBeVisibleAsync(new() { Timeout = 10000 });
        await Assertions.Expect(page.Locator(".alert", new() { HasTextString = left })).ToBeVisibleAsync(new() { Timeout = 10000 });
        await service.SetPartnerAsync(); // both rides are with a person now: the partner is not asked again
        await Assertions.Expect(alert).ToContainTextAsync("Aucun taxi n'a confirmé");
        // With where to go and whom to call.
        await Assertions.Expect(alert.Locator(".address")).ToContainTextAsync("Adresse : ");
        await Assertions.Expect(alert.Locator(".call")).ToContainTextAsync("À appeler : +32");
        // Both reach the on-call phone at once (an alert taken before its first round is not sent at
        // all, rightly: someone is on it); the nurse takes one once the phone has rung for both.
        await SentWhenAsync(sent => sent.Any(s => s.To == ConsoleService.OnCallNumber && s.Text.Contains($"trajet {taken}"))
            && sent.Any(s => s.To == ConsoleService.OnCallNumber && s.Text.Contains($"trajet {left}")), "the on-call phone was sent both rides", TimeSpan.FromSeconds(20));
        await alert.GetByRole(AriaRole.Button, new() { Name = "Je m'en occupe" }).ClickAsync();
        await Assertions.Expect(page.Locator(".alert", new() { HasTextString = taken })).ToContainTextAsync("Pris en charge par noor");
        await Assertions.Expect(page.Locator(".alert", new() { HasTextString = left })).ToBeVisibleAsync();
        // Usable on a phone: nothing wider than the screen.
        Assert.False(await page.EvaluateAsync<bool>("document.documentElement.scrollWidth > window.innerWidth"));

        // Once the escalation time has passed, only the alert nobody took reaches the second number.
        var sent = await SentWhenAsync(sent => sent.Any(s => s.To == ConsoleService.EscalationNumber && s.Text.Contains(Spoken(left))),
            "the second number was called for the ride nobody took", TimeSpan.FromSeconds(ConsoleService.EscalateAfterSeconds + 15));
        Assert.Contains(sent, s => s.Kind == "message" && s.To == ConsoleService.OnCallNumber && s.Text.Contains($"trajet {taken}"));
        Assert.Contains(sent, s => s.Kind == "call" && s.To == ConsoleService.OnCallNumber && s.Text.Contains(Spoken(left)));
        Assert.Contains(sent, s => s.Kind == "message" && s.To == ConsoleService.EscalationNumber && s.Text.Contains($"trajet {left}"));
        Assert.DoesNotContain(sent, s => s.To == ConsoleService.EscalationNumber && (s.Text.Contains($"trajet {taken}") || s.Text.Contains(Spoken(taken))));
    }

    [Fact]
    public async Task A_control_focused_on_the_board_keeps_its_focus_while_the_board_updates_and_the_update_comes_once_it_leaves()
    {
        var page = await NewPageAsync(new() { Locale = "fr-BE", ViewportSize = new() { Width = 1100, Height = 800 } });
        var secret = await EnrolAsync(page, await service.CommandAsync("accounts", "invite", "farah", "Centre"));
        await LogInAsync(page, "farah", secret);
        await service.SetPartnerAsync();
        var first = await PlaceCallAsync("-1");
        await page.GetByLabel("Arrivée au centre").FillAsync(first);
        await page.GetByRole(AriaRole.Button, new() { Name = "Marquer arrivé·e" }).ClickAsync();
        var police = page.Locator(".arrived li", new() { HasTextString = first }).GetByRole(AriaRole.Link);
        await police.FocusAsync();
        var fetches = 0;
        page.Request += (_, request) => { if (request.Url.EndsWith("/centre/board")) Interlocked.Increment(ref fetches); };

        // The board changes meanwhile (a new ride), and is fetched again and again.
        var second = await PlaceCallAsync("-1");
        await Eventually.True(() => Volatile.Read(ref fetches) >= 4, "the board was fetched four times", TimeSpan.FromSeconds(20));

        Assert.True(await police.EvaluateAsync<bool>("a => document.activeElement === a"), "the focused link lost its focus");
        await Assertions.Expect(page.Locator("#board tr", new() { HasTextString = second })).ToHaveCountAsync(0); // held, not thrown away
        await page.Locator("#arrival-code").FocusAsync();
        await Assertions.Expect(page.Locator("#board tr", new() { HasTextString = second })).ToBeVisibleAsync(new() { Timeout = 3000 });
        // The new ride is announced in one short sentence, the board itself is no live region.
        await Assertions.Expect(page.Locator("#announce")).ToHaveTextAsync(new Regex($"^Nouveau trajet : .*{second}.*\\.$"));
        Assert.Null(await page.Locator("#board").GetAttributeAsync("aria-live"));
    }

    [Fact]
    public async Task Axe_finds_no_violation_on_the_board_the_police_page_and_the_login_pages_at_both_widths_in_light_and_dark()
    {
        var page = await NewPageAsync(new() { Locale = "fr-BE", ViewportSize = new() { Width = 1280, Height = 900 } });
        var secret = await EnrolAsync(page, await service.CommandAsync("accounts", "invite", "axel", "Centre"));
        await LogInAsync(page, "axel", secret);
        await Assertions.Expect(page).ToHaveURLAsync($"{service.DispatchUrl}/centre");
        // The board with rides in several states: arrived (and its police link), on board, and one no partner confirmed.
        await service.SetPartnerAsync();
        var arrived = await PlaceCallAsync("-1");
        await page.GetByLabel("Arrivée au centre").FillAsync(arrived);
        await page.GetByRole(AriaRole.Button, new() { Name = "Marquer arrivé·e" }).ClickAsync();
        var onBoard = await PlaceCallAsync("-2");
        // On board before the partner goes down: a booking still on its way to the partner then waits for its
        // next try, and its ride would reach the board's "on board" only after the partner is back.
        var onBoardRow = page.Locator("#board tr", new() { HasTextString = onBoard });
        await Assertions.Expect(onBoardRow).ToContainTextAsync("À bord", new() { Timeout = 10000 });
        await service.SetPartnerAsync(downForSeconds: 60);
        var alerted = await PlaceCallAsync("-1");
        await Assertions.Expect(page.Locator(".alert", new() { HasTextString = alerted })).ToBeVisibleAsync(new() { Timeout = 10000 });
        await service.SetPartnerAsync();
        await Assertions.Expect(onBoardRow).ToContainTextAsync("À bord");
        var police = await page.Locator(".arrived li", new() { HasTextString = arrived }).GetByRole(AriaRole.Link).GetAttributeAsync("href");

        // And a person asking for someone by text: the alert carries the written answer's form.
        await TextAsync("Bonjour");
        await TextAsync("0");
        await Assertions.Expect(page.Locator("form.answer")).ToBeVisibleAsync(new() { Timeout = 10000 });

        var loggedOut = await NewPageAsync(new() { Locale = "fr-BE" });
        var found = new List<string>();
        await page.GotoAsync($"{service.DispatchUrl}/centre");
        await Assertions.Expect(page.Locator(".alert", new() { HasTextString = alerted })).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("form.answer")).ToBeVisibleAsync();
        found.AddRange(await Axe.EverywhereAsync(page, "the board"));
        // The board out of date (its refresh failing): the warning is read too.
        await page.RouteAsync("**/centre/board", route => route.AbortAsync());
        await Assertions.Expect(page.Locator("#live.stale")).ToBeVisibleAsync(new() { Timeout = 5000 });
        found.AddRange(await Axe.EverywhereAsync(page, "the board out of date"));
        await page.UnrouteAsync("**/centre/board");
        await page.GotoAsync(service.DispatchUrl + police);
        found.AddRange(await Axe.EverywhereAsync(page, "the police page"));
        await loggedOut.GotoAsync($"{service.DispatchUrl}/account/login");
        found.AddRange(await Axe.EverywhereAsync(loggedOut, "the login page"));
        await loggedOut.GetByLabel("Identifiant").FillAsync("axel");
        await loggedOut.GetByLabel("Mot de passe").FillAsync("not the password");
        await loggedOut.GetByRole(AriaRole.Button, new() { Name = "Continuer" }).ClickAsync();
        await Assertions.Expect(loggedOut.Locator(".error")).ToBeVisibleAsync();
        found.AddRange(await Axe.EverywhereAsync(loggedOut, "the login page with its error"));
        await loggedOut.GetByLabel("Identifiant").FillAsync("axel");
        await loggedOut.GetByLabel("Mot de passe").FillAsync(Password);
        await loggedOut.GetByRole(AriaRole.Button, new() { Name = "Continuer" }).ClickAsync();
        await Assertions.Expect(loggedOut.GetByLabel("Le code à 6 chiffres")).ToBeVisibleAsync();
        found.AddRange(await Axe.EverywhereAsync(loggedOut, "the code page"));
        Assert.True(found.Count == 0, string.Join("\n", found));
    }

    [Fact]
    public async Task Axe_finds_no_violation_on_the_account_pages_from_the_invitation_to_a_refusal_at_both_widths_in_light_and_dark()
    {
        var found = new List<string>();
        async Task CheckAsync(IPage on, string what) => found.AddRange(await Axe.EverywhereAsync(on, what));
        var page = await NewPageAsync(new() { Locale = "fr-BE" });
        // A centre account: the first operator is another test's subject (the command makes it only while none exists).
        var link = StaffAtBrowser.EnrolmentLink().Match(await service.CommandAsync("accounts", "invite", "ada", "Centre")).Value;

        await page.GotoAsync(link);
        await CheckAsync(page, "the enrolment page");
        var secret = (await page.Locator("#secret").TextContentAsync())!;
        await page.GetByLabel("Mot de passe").FillAsync(Password);
        await page.GetByLabel("Code de l'application").FillAsync(Totp.Code(secret, DateTimeOffset.UtcNow));
        await page.GetByRole(AriaRole.Button, new() { Name = "Continuer" }).ClickAsync();
        await Assertions.Expect(page.Locator(".codes li")).ToHaveCountAsync(10);
        await CheckAsync(page, "the recovery codes");
        await page.GotoAsync(link);
        await Assertions.Expect(page.Locator("h1")).Not.ToHaveTextAsync("Vos codes de secours");
        await CheckAsync(page, "a link already used");

        await LogInAsync(page, "ada", secret);
        await Assertions.Expect(page).ToHaveURLAsync($"{service.DispatchUrl}/centre");
        await page.GotoAsync($"{service.DispatchUrl}/account");
        await Assertions.Expect(page.Locator("h1")).ToContainTextAsync("ada");
        await CheckAsync(page, "the account's home");
        await page.GotoAsync($"{service.DispatchUrl}/account/audit");
        await Assertions.Expect(page.Locator("h1")).ToContainTextAsync("n'a pas accès");
        await CheckAsync(page, "a page refused");
        Assert.True(found.Count == 0, string.Join("\n", found));
    }

    /// <summary>What the Twilio simulator was asked to send, once it meets the condition; fails saying what it waited for if the time runs out.</summary>
    private Task<List<(string Kind, string To, string Text)>> SentWhenAsync(Func<List<(string Kind, string To, string Text)>, bool> condition, string what, TimeSpan within) =>
        Eventually.Value(service.SentAsync, condition, what, within);

    /// <summary>A code as the call speaks it: digit by digit.</summary>
    private static string Spoken(string code) => string.Join(", ", code.ToCharArray());

    private Task<string> EnrolAsync(IPage page, string commandOutput) => StaffAtBrowser.EnrolAsync(page, service.DispatchUrl, commandOutput, Password);

    private Task LogInAsync(IPage page, string name, string secret) => StaffAtBrowser.LogInAsync(page, service.DispatchUrl, name, Password, secret);

    /// <summary>A simulated call through the development phone, up to the moment the code is heard; the code.</summary>
    private async Task<string> PlaceCallAsync(string keys)
    {
        using var http = await new HttpClient().WithPageTokenAsync(service.DispatchUrl);
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

    /// <summary>One text message to the campus number from the development phone's sender, as its text tab sends it.</summary>
    private async Task TextAsync(string body)
    {
        using var http = await new HttpClient().WithPageTokenAsync(service.DispatchUrl);
        var response = await http.PostAsync($"{service.DispatchUrl}/dev/phone/text?body={Uri.EscapeDataString(body)}", null);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    private static async Task<JsonElement> ReadAsync(HttpResponseMessage response)
    {
        response.EnsureSuccessStatusCode();
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    private static StringContent JsonContent(object value) => new(JsonSerializer.Serialize(value), null, "application/json");
}
