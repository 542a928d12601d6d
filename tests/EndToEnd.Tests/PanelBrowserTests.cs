using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace Alice.EndToEnd.Tests;

/// <summary>
/// The service and the organisers' panel as separate processes, the panel on its own store (made by its own
/// migrate command, its accounts by its own command line) and reading the service's published totals as in
/// production (the published file read only, or alice_admin), with a night of simulated calls behind it:
/// twelve callers asking for a person, three booking a ride that reaches the centre, published as the
/// service's publication job publishes a week once it is due.
/// </summary>
public sealed class PanelService : RunningService
{
    /// <summary>The number the development phone calls from (DevPhoneEndpoints.SimulatedFrom).</summary>
    public const string CallerNumber = "+32470000001";

    public string AdminUrl { get; } = $"http://127.0.0.1:{Repo.FreePort()}";
    public HostProcess Admin { get; private set; } = null!;

    /// <summary>The CallSid of every call placed, as the development phone says it.</summary>
    public List<string> CallSids { get; } = [];

    /// <summary>
    /// The organiser's browser session (its cookies), made by the first test that needs one and shared by the
    /// tests that are not about logging in: each login takes a fresh authenticator code, one 30 s step.
    /// </summary>
    public string? OrganiserSession { get; set; }

    /// <summary>Every log entry at every level, so the privacy test reads all of them.</summary>
    private static readonly Dictionary<string, string> AtDebug = new()
    {
        ["Logging__LogLevel__Default"] = "Debug",
        ["Logging__LogLevel__Microsoft.AspNetCore"] = "Debug",
    };

    protected override Dictionary<string, string> DispatchSettings => AtDebug;

    protected override Dictionary<string, string> PartnerSettings => new()
    {
        ["Simulator__Faults__AcceptedAfterMs"] = "100",
        ["Simulator__Faults__DriverArrivedAfterMs"] = "200",
        ["Simulator__Faults__OnBoardAfterMs"] = "300",
        ["Simulator__Faults__DroppedOffAfterMs"] = "500",
    };

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        for (var i = 0; i < 12; i++) await PlaceCallAsync("-0");
        for (var i = 0; i < 3; i++) await PlaceCallAsync("-1-");
        await CommandAsync("accounts", "development-centre");
        await PanelCommandAsync("migrate");
        await PanelCommandAsync("accounts", "development-organiser", AdminUrl);
        // The rides reach the centre by the partner's drop-off, a moment after their calls.
        await Eventually.True(async () => await ArrivedAsync() >= 3, "the three rides reached the centre (counted as arrived)", TimeSpan.FromSeconds(10));
        await PublishTheNightAsync();
        Admin = await HostProcess.StartAsync("src/Admin", "Alice.Admin", AdminUrl, PanelEnvironment);
    }

    /// <summary>The panel's environment: Development, its own store, the service's published totals.</summary>
    private Dictionary<string, string> PanelEnvironment => new(AtDebug.Concat(Database.PanelEnvironmentVariables))
    {
        ["ASPNETCORE_ENVIRONMENT"] = "Development",
        ["Admin__PublicBaseUrl"] = AdminUrl,
    };

    /// <summary>Runs a command of the panel (migrate, accounts …) on its store, as an operator on its server would; its standard output.</summary>
    public Task<string> PanelCommandAsync(params string[] args) => HostProcess.RunAsync("src/Admin", "Alice.Admin", args, PanelEnvironment);

    /// <summary>
    /// The night's totals into the published store, as the service's publication job copies a week once it
    /// is due (the Monday of the week after next): the test does not wait a fortnight.
    /// </summary>
    private async Task PublishTheNightAsync()
    {
        List<(string Campus, string Week, string Measure, long Value)> rows;
        await using (var db = Database.Open())
            rows = (await Dapper.SqlMapper.QueryAsync<(string, string, string, long)>(db, "SELECT campus, week, measure, SUM(value) FROM weekly_totals GROUP BY campus, week, measure;")).ToList();
        await using var published = Database.OpenPublished();
        if (!TestDatabase.IsPostgres)
            await Dapper.SqlMapper.ExecuteAsync(published, """
                CREATE TABLE IF NOT EXISTS published_totals (campus TEXT NOT NULL, week TEXT NOT NULL, measure TEXT NOT NULL,
                    value INTEGER NOT NULL, published_at INTEGER NOT NULL, PRIMARY KEY (campus, week, measure));
                """);
        foreach (var row in rows)
            await Dapper.SqlMapper.ExecuteAsync(published,
                "INSERT INTO published_totals (campus, week, measure, value, published_at) VALUES (@Campus, @Week, @Measure, @Value, @at);",
                new { row.Campus, row.Week, row.Measure, row.Value, at = DateTimeOffset.UtcNow.AddMinutes(-1).ToUnixTimeSeconds() });
    }

    private async Task<long> ArrivedAsync()
    {
        await using var db = Database.Open();
        return await Dapper.SqlMapper.ExecuteScalarAsync<long>(db, "SELECT COALESCE(SUM(value), 0) FROM weekly_totals WHERE measure = 'arrived';");
    }

    /// <summary>A whole call through the development phone: each key in turn, '-' for pressing nothing.</summary>
    private async Task PlaceCallAsync(string keys)
    {
        using var http = await new HttpClient().WithPageTokenAsync(DispatchUrl);
        var call = JsonDocument.Parse(await (await http.PostAsync($"{DispatchUrl}/dev/phone/calls", new StringContent("{}", null, "application/json"))).Content.ReadAsStringAsync()).RootElement;
        var id = call.GetProperty("id").GetString();
        CallSids.Add(call.GetProperty("callSid").GetString()!);
        foreach (var key in keys)
            (await http.PostAsync(key == '-' ? $"{DispatchUrl}/dev/phone/calls/{id}/wait" : $"{DispatchUrl}/dev/phone/calls/{id}/keys/{key}", null)).EnsureSuccessStatusCode();
    }

    public override async Task DisposeAsync()
    {
        await Admin.DisposeAsync();
        await base.DisposeAsync();
    }
}

/// <summary>The organisers' panel in a real headless Chromium.</summary>
[Collection(BrowserCollection.Name)]
public partial class PanelBrowserTests(PanelService service, Chromium chromium) : BrowserTest(chromium), IClassFixture<PanelService>
{
    [Fact]
    public async Task Logged_out_an_organiser_is_sent_to_the_login_then_sees_the_totals_with_small_cells_hidden_and_the_chart()
    {
        var page = await NewPageAsync(new() { Locale = "fr-BE", ViewportSize = new() { Width = 1100, Height = 900 } });
        await page.GotoAsync($"{service.AdminUrl}/totals");
        Assert.Contains("/account/login", page.Url);

        await LogInAsync(page, "organiser", "organiser-development-only");
        await Assertions.Expect(page.Locator("h1")).ToContainTextAsync("Alice en chiffres");

        var total = page.Locator("table.totals tfoot tr");
        // Three rides booked is hidden, and so is one of the two counts it would follow from (15 answered − 12 without).
        await Assertions.Expect(total.Locator("td").Nth(1)).ToHaveTextAsync("<10");
        var answeredOrWithout = new[] { await total.Locator("td").Nth(0).InnerTextAsync(), await total.Locator("td").Nth(2).InnerTextAsync() };
        Assert.Contains("<10", answeredOrWithout);
        Assert.Contains(answeredOrWithout, c => c is "15" or "12" or "<10");
        await Assertions.Expect(page.Locator("#why")).ToContainTextAsync("pour que personne ne puisse rien apprendre sur une personne");
        var shown = (await page.Locator("table.totals td.num").AllInnerTextsAsync()).Where(t => long.TryParse(t, out _)).Select(long.Parse).ToList();
        Assert.NotEmpty(shown);
        Assert.DoesNotContain(shown, v => v is >= 1 and <= 9);
        // The chart: a bar per week, drawn, the hidden ones as outlines.
        await Assertions.Expect(page.Locator("figure.chart svg rect.bar-hidden").First).ToBeVisibleAsync();
        Assert.True(await page.Locator("figure.chart svg rect").CountAsync() >= 1);
        await page.ScreenshotAsync(new() { Path = Path.Combine(Repo.Root, "TestResults", "admin-panel.png"), FullPage = true });
    }

    [Fact]
    public async Task The_csv_downloaded_from_the_page_holds_its_table_as_numbers_with_hidden_cells_empty_and_flagged()
    {
        var page = await LoggedInPageAsync(new() { Locale = "fr-BE", AcceptDownloads = true }, "/totals?campus=alma&by=month");

        var headers = (await page.Locator("table.totals thead th").AllInnerTextsAsync()).Select(c => c.Trim()).ToList();
        var cells = (await page.Locator("table.totals tbody th, table.totals tbody td, table.totals tfoot th, table.totals tfoot td").AllInnerTextsAsync()).Select(c => c.Trim()).ToList();
        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByText("Télécharger (CSV)").ClickAsync());
        var csv = await File.ReadAllTextAsync((await download.PathAsync())!);

        Assert.EndsWith(".csv", download.SuggestedFilename);
        var rows = csv.TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries)
            .Select(l => CsvField().Matches(l).Select(m => m.Groups[1].Value.Trim('"').Replace("\"\"", "\"")).ToList()).ToList();
        Assert.Equal([.. headers, "Masqué"], rows[0]);
        // The page's cells as a spreadsheet wants them: "≤ 5" is 5, "<10" and "–" are empty and named in the last column.
        var expected = cells.Chunk(headers.Count).Select(r => (List<string>)[r[0], .. r[1..].Select(c => c.StartsWith('<') || c == "–" ? "" : c.TrimStart('≤', ' ')),
            string.Join("; ", r.Select((c, i) => (c, i)).Where(x => x.i > 0 && (x.c.StartsWith('<') || x.c == "–")).Select(x => headers[x.i]))]).ToList();
        Assert.Equal(expected, rows[1..]);
        Assert.Contains(rows[1..], r => r[^1].Length > 0); // the night's small counts are there to be flagged
    }

    [Fact]
    public async Task On_a_phone_sized_screen_the_page_is_no_wider_than_the_screen_and_the_table_scrolls_by_itself()
    {
        var page = await LoggedInPageAsync(new() { Locale = "fr-BE", ViewportSize = new() { Width = 390, Height = 844 } }, "/totals?lang=nl");

        await Assertions.Expect(page.Locator("h1")).ToContainTextAsync("Alice in cijfers");
        // Measured as a phone shows the page: with its stylesheet. The heading is there, and the layout can
        // be read, before the stylesheet has arrived (a browser paints nothing until then); read that early
        // the table stretches the page to its own width, which is what a run on a busy machine once saw.
        await page.WaitForLoadStateAsync(LoadState.Load);
        var wrap = page.Locator(".table-wrap");
        Assert.Equal("auto", await wrap.EvaluateAsync<string>("e => getComputedStyle(e).overflowX"));
        var widths = await page.EvaluateAsync<int[]>("[document.documentElement.scrollWidth, window.innerWidth]");
        Assert.True(widths[0] <= widths[1], $"the page is {widths[0]} px wide on a {widths[1]} px screen");
        // The table itself is wider than the screen and scrolls inside its frame: the page is narrow despite it.
        Assert.True(await wrap.EvaluateAsync<bool>("e => e.scrollWidth > e.clientWidth"), "the table fits the phone: nothing here needed to scroll");
        await Assertions.Expect(page.Locator("figure.chart > svg")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task On_a_phone_the_charts_words_are_at_least_12_px_its_marks_explained_and_the_wide_table_scrolls_from_the_keyboard()
    {
        var page = await LoggedInPageAsync(new() { Locale = "fr-BE", ViewportSize = new() { Width = 390, Height = 844 } }, "/totals?campus=all&by=week");
        // On the totals page first, then with its stylesheet applied.
        await Assertions.Expect(page.Locator("figure.chart > svg")).ToBeVisibleAsync();
        await page.WaitForLoadStateAsync(LoadState.Load);

        // The SVG is scaled to its box: what counts is the size on the screen.
        var sizes = await page.EvaluateAsync<double[]>(
            "[...document.querySelectorAll('figure.chart svg text')].map(t => parseFloat(getComputedStyle(t).fontSize) * t.ownerSVGElement.getScreenCTM().a)");
        Assert.NotEmpty(sizes);
        Assert.True(sizes.All(s => s >= 12), $"the chart's words are {string.Join(", ", sizes.Select(s => s.ToString("0.0")))} px on the phone");
        await Assertions.Expect(page.Locator("figure.chart .legend")).ToContainTextAsync("Contour pointillé : moins de 10 (non affiché)");
        await Assertions.Expect(page.Locator("#table-hint")).ToBeVisibleAsync();

        var wrap = page.Locator(".table-wrap");
        await wrap.FocusAsync();
        await page.Keyboard.PressAsync("ArrowRight");
        await Eventually.True(async () => await wrap.EvaluateAsync<double>("e => e.scrollLeft") > 0, "the table scrolled sideways with the arrow key", TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task The_printable_report_shows_neither_the_language_bar_nor_log_out_and_says_when_it_was_made()
    {
        var before = DateTime.UtcNow;
        var page = await LoggedInPageAsync(new() { Locale = "fr-BE" }, "/totals/report?campus=all&by=week");
        await Assertions.Expect(page.Locator("h1")).ToContainTextAsync("Alice en chiffres");
        await page.WaitForLoadStateAsync(LoadState.Load);
        var after = DateTime.UtcNow; // the report may be made on either side of midnight

        var french = System.Globalization.CultureInfo.GetCultureInfo("fr-BE");
        await Assertions.Expect(page.Locator(".made")).ToContainTextAsync(new System.Text.RegularExpressions.Regex(
            $"Rapport établi le ({System.Text.RegularExpressions.Regex.Escape(before.ToString("d MMMM yyyy", french))}|{System.Text.RegularExpressions.Regex.Escape(after.ToString("d MMMM yyyy", french))})"));
        await Assertions.Expect(page.Locator("header nav")).ToBeHiddenAsync();
        Assert.Equal(0, await page.Locator(".logout, nav.choices").CountAsync());
    }

    [Fact]
    public async Task Axe_finds_no_violation_on_the_panels_pages_at_desktop_and_phone_widths_in_light_and_dark()
    {
        string[] paths = ["/totals?campus=all&by=week", "/totals?campus=alma&by=month", "/totals?by=year", "/totals/report?campus=all&by=week"];
        var found = new List<string>();
        var login = await NewPageAsync(new() { Locale = "fr-BE", ViewportSize = new() { Width = 1280, Height = 900 } });
        await login.GotoAsync($"{service.AdminUrl}/account/login");
        found.AddRange(await Axe.EverywhereAsync(login, "/account/login"));
        var page = await LoggedInPageAsync(new() { Locale = "fr-BE", ViewportSize = new() { Width = 1280, Height = 900 } }, paths[0]);
        // Besides the totals: a query the panel does not know, and a page the organiser may not see.
        foreach (var path in paths.Append("/totals?by=fortnight").Append("/operators/accounts"))
        {
            await page.GotoAsync(service.AdminUrl + path);
            await page.WaitForLoadStateAsync(LoadState.Load);
            found.AddRange(await Axe.EverywhereAsync(page, path));
        }
        // The screenshots the docs show: the week table at both widths.
        await page.GotoAsync(service.AdminUrl + paths[0]);
        await page.WaitForLoadStateAsync(LoadState.Load);
        foreach (var (width, height, name) in new[] { (1280, 900, "panel-desktop.png"), (390, 844, "panel-phone.png") })
        {
            await page.SetViewportSizeAsync(width, height);
            await page.ScreenshotAsync(new() { Path = Path.Combine(Repo.Root, "TestResults", name), FullPage = true });
        }
        Assert.True(found.Count == 0, string.Join("\n", found));
    }

    [Fact]
    public async Task An_operator_of_the_panel_enrols_in_the_browser_invites_an_organiser_and_axe_finds_no_violation_on_the_accounts_page()
    {
        const string password = "panel operator passphrase";
        var page = await NewPageAsync(new() { Locale = "fr-BE", ViewportSize = new() { Width = 1280, Height = 900 } });
        var secret = await StaffAtBrowser.EnrolAsync(page, service.AdminUrl, await service.PanelCommandAsync("accounts", "invite", "pia", "Operator"), password);
        await StaffAtBrowser.LogInAsync(page, service.AdminUrl, "pia", password, secret);
        await page.GotoAsync($"{service.AdminUrl}/operators/accounts");
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Comptes");

        // The page as it is right after an invitation: the notice and the link to hand over, then read by axe.
        await page.GetByLabel("Nom de connexion").FillAsync("oscar");
        await page.GetByRole(AriaRole.Button, new() { Name = "Inviter" }).ClickAsync();
        await Assertions.Expect(page.Locator("code.link")).ToContainTextAsync($"{service.AdminUrl}/account/enrol?");
        await Assertions.Expect(page.Locator("table.rides")).ToContainTextAsync("oscar");
        var found = await Axe.EverywhereAsync(page, "the panel's accounts page");
        Assert.True(found.Count == 0, string.Join("\n", found));
    }

    [Fact]
    public async Task The_centre_account_does_not_log_in_to_the_panel()
    {
        var page = await NewPageAsync(new() { Locale = "fr-BE" });
        await page.GotoAsync($"{service.AdminUrl}/account/login");
        await page.GetByLabel("Identifiant").FillAsync("centre");
        await page.GetByLabel("Mot de passe").FillAsync("centre-development-only");
        await page.GetByRole(AriaRole.Button, new() { Name = "Continuer" }).ClickAsync();

        Assert.Contains("/account/login", page.Url);
        await page.GotoAsync($"{service.AdminUrl}/totals");
        Assert.Contains("/account/login", page.Url);
        Assert.Equal(0, await page.Locator("table.totals").CountAsync());
    }

    [Fact]
    public async Task Nothing_the_panel_shows_nor_either_process_logs_at_debug_holds_the_callers_number_or_a_call_sid()
    {
        var page = await LoggedInPageAsync(new() { Locale = "fr-BE" }, "/totals");
        var shown = new List<string>();
        foreach (var path in new[] { "/totals", "/totals?campus=alma&by=week", "/totals?by=year", "/totals/report", "/totals.csv", "/operators/accounts" })
        {
            var answer = await page.APIRequest.GetAsync(service.AdminUrl + path);
            shown.Add($"{path}: {answer.Status} {await answer.TextAsync()}");
        }
        Assert.Contains(shown, s => s.StartsWith("/totals.csv: 200"));

        string[] secrets = [PanelService.CallerNumber, PanelService.CallerNumber[1..], "0" + PanelService.CallerNumber[3..],
            .. service.CallSids, .. service.CallSids.Select(c => c[2..])];
        Assert.Equal(15, service.CallSids.Count);
        // The search looks where it should: both processes logged at Debug.
        Assert.Contains("dbug:", service.Dispatch.Output);
        Assert.Contains("dbug:", service.Admin.Output);
        foreach (var secret in secrets)
        {
            Assert.DoesNotContain(secret, string.Join('\n', shown));
            Assert.DoesNotContain(secret, service.Dispatch.Output);
            Assert.DoesNotContain(secret, service.Admin.Output);
        }
    }

    /// <summary>
    /// A page of its own (the options' size and colours), with the organiser's session, opened at this path.
    /// The session comes from one real login, the first time a test asks (logging in is the first test's subject).
    /// </summary>
    private async Task<IPage> LoggedInPageAsync(BrowserNewPageOptions options, string path)
    {
        if (service.OrganiserSession is null)
        {
            var login = await NewPageAsync(new() { Locale = "fr-BE" });
            await LogInAsync(login, "organiser", "organiser-development-only");
            await Assertions.Expect(login.Locator("h1")).ToContainTextAsync("Alice en chiffres");
            service.OrganiserSession = await login.Context.StorageStateAsync();
        }
        options.StorageState = service.OrganiserSession;
        var page = await NewPageAsync(options);
        await page.GotoAsync(service.AdminUrl + path);
        Assert.DoesNotContain("/account/login", page.Url);
        return page;
    }

    /// <summary>Password, then the code the account's authenticator would show (the development command prints it).</summary>
    private async Task LogInAsync(IPage page, string name, string password, string? then = null)
    {
        await page.GotoAsync($"{service.AdminUrl}/account/login" + (then is null ? "" : "?returnUrl=" + Uri.EscapeDataString(then)));
        await page.GetByLabel("Identifiant").FillAsync(name);
        await page.GetByLabel("Mot de passe").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Continuer" }).ClickAsync();
        var code = (await service.PanelCommandAsync("accounts", "development-code", name)).Trim();
        await page.GetByLabel("Le code à 6 chiffres").FillAsync(code);
        await page.GetByRole(AriaRole.Button, new() { Name = "Connexion" }).ClickAsync();
    }

    [GeneratedRegex("(?:^|,)(\"(?:[^\"]|\"\")*\"|[^,]*)")]
    private static partial Regex CsvField();
}
