using System.Net;
using System.Text.RegularExpressions;
using Alice.Accounts;
using Alice.Web;
using Alice.Admin.Tests.Support;
using Dapper;

namespace Alice.Admin.Tests;

/// <summary>
/// What organisers and operators see and do in the panel, over HTTPS in-process, on totals written as the
/// dispatch service writes them: logins with the second factor, hidden small counts, the CSV of exactly
/// the page's table, account management with its audit, and every wrong request refused with a message.
/// </summary>
public partial class PanelPageTests(Panel panel) : IClassFixture<Panel>, IAsyncLifetime
{
    public async Task InitializeAsync()
    {
        using (var published = panel.Database.OpenPublished())
            if (await TableExistsAsync(published) && await published.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM published_totals WHERE campus = 'delta';") > 0) return;
        // Two campuses, two weeks: every count large but Delta's police requests and hand-overs in week 11.
        string[] measures = ["calls_answered", "rides_booked", "rides_booked_by_text", "calls_without_booking", "handed_over", "partner_failovers", "arrived", "police_requests", "alerts_raised"];
        foreach (var campus in new[] { "alma", "delta" })
            foreach (var week in new[] { "2026-W10", "2026-W11" })
                foreach (var measure in measures)
                    await panel.PublishAsync((campus, week, measure, campus == "delta" && week == "2026-W11" && measure is "police_requests" or "handed_over" ? 3 : 40 + measure.Length));
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Logged_out_the_totals_page_and_its_csv_send_to_the_login()
    {
        using var browser = new Staff(panel);
        foreach (var path in new[] { "/totals", "/totals.csv", "/totals/report", "/operators/accounts" })
        {
            var answer = await browser.Client.GetAsync(path);
            Assert.Equal(HttpStatusCode.Redirect, answer.StatusCode);
            Assert.Equal("/account/login", answer.Headers.Location?.AbsolutePath);
        }
    }

    [Fact]
    public async Task An_organiser_sees_the_totals_with_small_counts_hidden_the_reason_given_and_no_count_under_ten()
    {
        using var organiser = await Staff.LoggedInAsync(panel, Roles.Organiser);

        var page = await organiser.Client.GetStringAsync("/totals?campus=all&by=week&year=2026");

        Assert.Contains("Alice en chiffres", page);
        Assert.Contains("&lt;10", page);
        Assert.Contains("pour que personne ne puisse rien apprendre sur une personne", WebUtility.HtmlDecode(page));
        Assert.Contains("<svg", page);
        // Switching language stays on the same table.
        Assert.Contains("href=\"?campus=all&amp;by=week&amp;year=2026&amp;lang=nl\"", page);
        var shown = Cells(page).Where(c => long.TryParse(c, out _)).Select(long.Parse).ToList();
        Assert.NotEmpty(shown);
        Assert.DoesNotContain(shown, v => v is >= 1 and <= 9);
    }

    [Fact]
    public async Task The_csv_holds_the_pages_table_with_numbers_as_numbers_and_a_hidden_cell_empty_and_named_in_its_flag_column()
    {
        using var organiser = await Staff.LoggedInAsync(panel, Roles.Organiser);
        foreach (var query in new[] { "?campus=delta&by=week&year=2026", "?campus=all&by=month&year=2026", "?campus=alma&by=year" })
        {
            var page = await organiser.Client.GetStringAsync("/totals" + query);
            var csv = await organiser.Client.GetAsync("/totals.csv" + query);

            Assert.Equal("text/csv", csv.Content.Headers.ContentType?.MediaType);
            Assert.StartsWith("attachment", csv.Content.Headers.ContentDisposition?.ToString());
            var lines = (await csv.Content.ReadAsStringAsync()).TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
            var rows = lines.Select(l => CsvField().Matches(l).Select(m => m.Groups[1].Value.Trim('"').Replace("\"\"", "\"")).ToList()).ToList();
            var headers = Cells(page, withHeaders: true).Take(rows[0].Count - 1).ToList();
            Assert.Equal([.. headers, "Masqué"], rows[0]);
            var shown = Cells(page);
            Assert.Equal(shown.Count, (rows.Count - 1) * headers.Count);
            for (var r = 1; r < rows.Count; r++)
            {
                var cells = shown.Skip((r - 1) * headers.Count).Take(headers.Count).ToList();
                Assert.Equal(cells[0], rows[r][0]);
                var flagged = new List<string>();
                for (var c = 1; c < headers.Count; c++)
                {
                    // What a spreadsheet adds up: a plain number, or nothing where the page hides the cell (named in the flag column).
                    if (cells[c].StartsWith('<') || cells[c] == "–") { Assert.Equal("", rows[r][c]); flagged.Add(headers[c]); }
                    else Assert.Equal(cells[c].TrimStart('≤', ' '), rows[r][c]);
                    Assert.Matches("^[0-9]*$", rows[r][c]);
                }
                Assert.Equal(string.Join("; ", flagged), rows[r][^1]);
            }
        }
    }

    [Fact]
    public async Task A_campus_is_shown_by_its_name_and_one_without_a_name_by_its_id()
    {
        using var organiser = await Staff.LoggedInAsync(panel, Roles.Organiser);

        var page = WebUtility.HtmlDecode(await organiser.Client.GetStringAsync("/totals?campus=alma&by=week&year=2026"));

        Assert.Contains("<h1>Alice en chiffres — UCLouvain Alma (Woluwe-Saint-Lambert)</h1>", page);
        Assert.Contains(">delta</a>", page);
        Assert.DoesNotContain(">alma<", page);
    }

    [Fact]
    public async Task A_past_year_is_offered_and_answered_even_with_nothing_published_in_it()
    {
        using var organiser = await Staff.LoggedInAsync(panel, Roles.Organiser);

        var page = await organiser.Client.GetStringAsync("/totals?campus=all&by=week&year=2026");
        var past = await organiser.Client.GetAsync("/totals?campus=all&by=week&year=2025");

        Assert.Contains("href=\"/totals?campus=all&amp;by=week&amp;year=2025\"", page);
        Assert.Equal(HttpStatusCode.OK, past.StatusCode);
        Assert.Contains("Rien de publié pour 2025", WebUtility.HtmlDecode(await past.Content.ReadAsStringAsync()));
    }

    [Fact]
    public async Task The_printable_report_says_when_it_was_made_and_holds_no_log_out()
    {
        using var organiser = await Staff.LoggedInAsync(panel, Roles.Organiser);

        var before = DateTime.UtcNow;
        var report = WebUtility.HtmlDecode(await organiser.Client.GetStringAsync("/totals/report?campus=all&by=month&year=2026"));
        var after = DateTime.UtcNow; // the report may be made on either side of midnight

        Assert.Matches($"<p class=\"made\">Rapport établi le <time datetime=\"(?:{before:yyyy-MM-dd}|{after:yyyy-MM-dd})[^\"]*\">", report);
        Assert.DoesNotContain("logout", report);
    }

    [Fact]
    public async Task The_wide_table_can_be_scrolled_from_the_keyboard_and_says_so()
    {
        using var organiser = await Staff.LoggedInAsync(panel, Roles.Organiser);

        var page = WebUtility.HtmlDecode(await organiser.Client.GetStringAsync("/totals?campus=all&by=week&year=2026"));

        Assert.Contains("<div class=\"table-wrap\" tabindex=\"0\" role=\"region\" aria-labelledby=\"table-hint\">", page);
        Assert.Contains("<p class=\"table-hint\" id=\"table-hint\">", page);
    }

    [Fact]
    public async Task The_printable_report_shows_the_same_table_without_the_navigation()
    {
        using var organiser = await Staff.LoggedInAsync(panel, Roles.Organiser);

        var page = await organiser.Client.GetStringAsync("/totals?campus=all&by=month&year=2026");
        var report = await organiser.Client.GetStringAsync("/totals/report?campus=all&by=month&year=2026");

        Assert.Equal(Cells(page, withHeaders: true), Cells(report, withHeaders: true));
        Assert.DoesNotContain("class=\"choices\"", report);
        Assert.Contains("class=\"choices\"", page);
    }

    [Fact]
    public async Task A_centre_account_of_the_service_does_not_exist_in_the_panel()
    {
        var nurse = "nurse-" + Guid.NewGuid().ToString("N")[..6];
        await panel.DispatchAsync("accounts", "invite", nurse, Roles.Centre);
        using var browser = new Staff(panel);

        Assert.Equal(HttpStatusCode.BadRequest, (await browser.LogInAsync(nurse)).StatusCode);
        Assert.Equal(0, await panel.PanelAccountCountAsync(nurse));
    }

    [Fact]
    public async Task The_panels_store_refuses_a_centre_account_even_from_its_own_code()
    {
        await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => Staff.InviteAsync(panel, "nurse-" + Guid.NewGuid().ToString("N")[..6], Roles.Centre));
    }

    [Fact]
    public async Task An_organiser_cannot_manage_accounts()
    {
        using var organiser = await Staff.LoggedInAsync(panel, Roles.Organiser);

        Assert.Equal("/account/denied", (await organiser.Client.GetAsync("/operators/accounts")).Headers.Location?.AbsolutePath);
        var forged = await organiser.PostAsync("/operators/accounts/invite", await organiser.Client.GetStringAsync("/totals"), new() { ["name"] = "sneaky", ["role"] = Roles.Operator });
        Assert.Equal("/account/denied", forged.Headers.Location?.AbsolutePath);
        Assert.Equal(0, await panel.PanelAccountCountAsync("sneaky"));
    }

    [Fact]
    public async Task An_operator_invites_resets_and_disables_accounts_and_each_action_is_audited_under_their_name()
    {
        using var op = await Staff.LoggedInAsync(panel, Roles.Operator);
        var name = "organiser-" + Guid.NewGuid().ToString("N")[..6];

        var invited = await op.PostAsync("/operators/accounts/invite", await op.Client.GetStringAsync("/operators/accounts"), new() { ["name"] = name, ["role"] = Roles.Organiser });
        var link = LinkIn(await invited.Content.ReadAsStringAsync());
        Assert.StartsWith("https://panel.example.test/account/enrol?", link);
        using (var invitee = new Staff(panel))
        {
            Assert.Equal(HttpStatusCode.OK, (await invitee.EnrolAsync(link[("https://panel.example.test".Length)..])).StatusCode);
            Assert.Equal(HttpStatusCode.Redirect, (await invitee.LogInAsync(name)).StatusCode);
        }

        var reset = await op.PostAsync("/operators/accounts/reset", await op.Client.GetStringAsync("/operators/accounts"), new() { ["name"] = name });
        Assert.StartsWith("https://panel.example.test/account/enrol?", LinkIn(await reset.Content.ReadAsStringAsync()));
        using (var invitee = new Staff(panel))
            Assert.Equal(HttpStatusCode.BadRequest, (await invitee.LogInAsync(name)).StatusCode); // the old password is gone with the old factor

        var disabled = await op.PostAsync("/operators/accounts/disable", await op.Client.GetStringAsync("/operators/accounts"), new() { ["name"] = name });
        Assert.Equal(HttpStatusCode.OK, disabled.StatusCode);

        using var store = panel.Database.OpenPanel();
        var actions = (await store.QueryAsync<string>("SELECT action FROM audit_log WHERE actor = @actor AND subject LIKE @subject ORDER BY at, action;",
            new { actor = op.Name, subject = name + "%" })).ToList();
        Assert.Equal(["account.disabled", "account.invited", "account.second-factor-reset"], actions.Order());
    }

    [Theory]
    [InlineData("?campus=nowhere")]
    [InlineData("?by=day")]
    [InlineData("?year=abc")]
    [InlineData("?year=1999")]
    [InlineData("?campus=%27%3Bdrop")]
    public async Task A_query_for_no_such_campus_period_or_year_is_answered_400_with_a_message(string query)
    {
        using var organiser = await Staff.LoggedInAsync(panel, Roles.Organiser);

        var page = await organiser.Client.GetAsync("/totals" + query);
        var csv = await organiser.Client.GetAsync("/totals.csv" + query);

        Assert.Equal(HttpStatusCode.BadRequest, page.StatusCode);
        Assert.Contains("Cette page n'existe pas", WebUtility.HtmlDecode(await page.Content.ReadAsStringAsync()));
        Assert.Equal(HttpStatusCode.BadRequest, csv.StatusCode);
    }

    [Fact]
    public async Task Forged_malformed_and_oversized_forms_are_refused_and_change_nothing()
    {
        using var op = await Staff.LoggedInAsync(panel, Roles.Operator);
        var form = await op.Client.GetStringAsync("/operators/accounts");
        var before = await CountAsync("SELECT COUNT(*) FROM accounts;");

        var forged = await op.Client.PostAsync("/operators/accounts/invite", new FormUrlEncodedContent(new Dictionary<string, string> { ["name"] = "forged", ["role"] = Roles.Operator }));
        var noRole = await op.PostAsync("/operators/accounts/invite", form, new() { ["name"] = "no-role", ["role"] = "Root" });
        var empty = await op.PostAsync("/operators/accounts/invite", form, []);
        var huge = await op.PostAsync("/operators/accounts/invite", form, new() { ["name"] = new string('x', 200_000), ["role"] = Roles.Organiser });
        var nobody = await op.PostAsync("/operators/accounts/disable", form, new() { ["name"] = "nobody-at-all" });
        var self = await op.PostAsync("/operators/accounts/disable", form, new() { ["name"] = op.Name });
        var resetNobody = await op.PostAsync("/operators/accounts/reset", form, new() { ["name"] = "nobody-at-all" });
        var resetEmpty = await op.PostAsync("/operators/accounts/reset", form, []);
        var disableEmpty = await op.PostAsync("/operators/accounts/disable", form, []);

        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, noRole.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
        Assert.True(huge.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.RequestEntityTooLarge, huge.StatusCode.ToString());
        Assert.Equal(HttpStatusCode.BadRequest, nobody.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, self.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, resetNobody.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, resetEmpty.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, disableEmpty.StatusCode);
        Assert.Equal(before, await CountAsync("SELECT COUNT(*) FROM accounts;"));
    }

    [Fact]
    public async Task The_panel_pages_carry_the_console_security_headers()
    {
        using var organiser = await Staff.LoggedInAsync(panel, Roles.Organiser);

        foreach (var path in new[] { "/totals", "/totals/report", "/totals.csv", "/account/login" })
        {
            var answer = await organiser.Client.GetAsync(path);
            Assert.Equal(SecurityHeaders.Policy, answer.Headers.GetValues("Content-Security-Policy").Single());
            Assert.Equal("DENY", answer.Headers.GetValues("X-Frame-Options").Single());
            Assert.Equal("nosniff", answer.Headers.GetValues("X-Content-Type-Options").Single());
            Assert.Contains("no-store", answer.Headers.CacheControl?.ToString());
        }
    }

    /// <summary>The table's cells in reading order (the header row too, if asked), as text.</summary>
    private static List<string> Cells(string page, bool withHeaders = false)
    {
        var table = TableOf().Match(page).Value;
        return CellOf().Matches(table).Where(m => withHeaders || m.Groups[1].Value != "th" || m.Value.Contains("scope=\"row\""))
            .Select(m => WebUtility.HtmlDecode(Regex.Replace(m.Groups[2].Value, "<[^>]+>", ""))).ToList();
    }

    private static string LinkIn(string page) => WebUtility.HtmlDecode(LinkOf().Match(page).Groups[1].Value);

    private async Task<long> CountAsync(string sql)
    {
        using var store = panel.Database.OpenPanel();
        return await store.ExecuteScalarAsync<long>(sql);
    }

    private static async Task<bool> TableExistsAsync(System.Data.Common.DbConnection connection) =>
        await connection.ExecuteScalarAsync<long>(TestDatabase.IsPostgres
            ? "SELECT COUNT(*) FROM pg_tables WHERE tablename = 'published_totals';"
            : "SELECT COUNT(*) FROM sqlite_master WHERE name = 'published_totals';") > 0;

    [GeneratedRegex("<table class=\"totals\">.*?</table>", RegexOptions.Singleline)]
    private static partial Regex TableOf();

    [GeneratedRegex("<(th|td)[^>]*>(.*?)</\\1>", RegexOptions.Singleline)]
    private static partial Regex CellOf();

    [GeneratedRegex("(?:^|,)(\"(?:[^\"]|\"\")*\"|[^,]*)")]
    private static partial Regex CsvField();

    [GeneratedRegex("<code class=\"link\">([^<]+)</code>")]
    private static partial Regex LinkOf();
}
