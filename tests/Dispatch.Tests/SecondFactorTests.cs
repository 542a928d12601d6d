using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Alice.Accounts;
using Alice.Dispatch.Tests.Support;
using Alice.Signatures;
using Dapper;
using Microsoft.Extensions.DependencyInjection;

namespace Alice.Dispatch.Tests;

/// <summary>
/// The second factor: a code counts once and only near its time, recovery codes are stored so a copy of the
/// database gives none of them, the authenticator secret is made when the person enrols and shown once,
/// enrolment happens whole or not at all, and no session exists before the second factor.
/// </summary>
public partial class SecondFactorTests(Hotline hotline) : IClassFixture<Hotline>
{
    private DispatchApp App => hotline.App;

    [GeneratedRegex("<li><code>([^<]+)</code>")]
    private static partial Regex RecoveryCode();

    [GeneratedRegex("<code id=\"secret\">([A-Z2-7]+)</code>")]
    private static partial Regex SecretField();

    [Fact]
    public async Task A_code_used_in_one_session_is_refused_in_a_second()
    {
        using var nurse = await Staff.EnrolledAsync(App);
        var code = Totp.Code(nurse.Secret!, DateTimeOffset.UtcNow);
        using var first = new Staff(App);
        using var second = new Staff(App);

        Assert.Equal("/centre", (await first.LogInAsync(nurse.Name, code: code)).Headers.Location?.OriginalString);
        var again = await second.LogInAsync(nurse.Name, code: code);

        Assert.Equal(HttpStatusCode.BadRequest, again.StatusCode);
        Assert.StartsWith("/account/login", (await second.Client.GetAsync("/centre")).Headers.Location?.AbsolutePath);
    }

    [Fact]
    public async Task The_development_code_command_gives_a_code_not_used_yet()
    {
        using var nurse = await Staff.EnrolledAsync(App);
        using var first = new Staff(App);
        Assert.Equal("/centre", (await first.LogInAsync(nurse.Name, code: Totp.Code(nurse.Secret!, DateTimeOffset.UtcNow))).Headers.Location?.OriginalString);

        await using var scope = App.Services.CreateAsyncScope();
        var code = await scope.ServiceProvider.GetRequiredService<AccountService>().CurrentCodeAsync(nurse.Name);
        using var second = new Staff(App);

        Assert.Equal("/centre", (await second.LogInAsync(nurse.Name, code: code)).Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task Two_sessions_racing_with_the_same_code_cannot_both_log_in()
    {
        using var nurse = await Staff.EnrolledAsync(App);
        var code = Totp.Code(nurse.Secret!, DateTimeOffset.UtcNow);
        var browsers = Enumerable.Range(0, 4).Select(_ => new Staff(App)).ToList();
        var codePages = new List<string>();
        foreach (var browser in browsers)
        {
            var password = await browser.PostAsync("/account/login", await browser.Client.GetStringAsync("/account/login"),
                new() { ["name"] = nurse.Name, ["password"] = Staff.Password });
            codePages.Add(await browser.Client.GetStringAsync(password.Headers.Location!.OriginalString));
        }

        var answers = await Task.WhenAll(browsers.Select((b, i) => b.PostAsync("/account/code", codePages[i], new() { ["code"] = code })));

        Assert.Single(answers, a => a.StatusCode == HttpStatusCode.Redirect);
        foreach (var browser in browsers) browser.Dispose();
    }

    [Fact]
    public async Task A_code_two_steps_old_is_refused_and_one_step_old_is_still_taken()
    {
        using var nurse = await Staff.EnrolledAsync(App);
        using var browser = new Staff(App);
        // The service reads the real clock: begin early in a 30-second step, so that the step the codes are
        // made for is still the current one when the two logins reach the service, even on a slow machine.
        var intoStep = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() % 30_000;
        if (intoStep > 10_000) await Task.Delay(TimeSpan.FromMilliseconds(30_000 - intoStep + 200));
        var now = DateTimeOffset.UtcNow;

        var stale = await browser.LogInAsync(nurse.Name, code: Totp.Code(nurse.Secret!, now.AddSeconds(-60)));
        var recent = await browser.LogInAsync(nurse.Name, code: Totp.Code(nurse.Secret!, now.AddSeconds(-30)));

        Assert.Equal(HttpStatusCode.BadRequest, stale.StatusCode);
        Assert.Equal("/centre", recent.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task What_is_stored_for_a_recovery_code_is_not_its_sha256_and_the_code_logs_in_once()
    {
        using var nurse = await Staff.EnrolledAsync(App);
        var codes = RecoveryCode().Matches(await nurse.Enrolment!.Content.ReadAsStringAsync()).Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(10, codes.Count);

        var stored = await App.ColumnAsync<string>("SELECT recovery_codes FROM accounts WHERE user_name = @name;", new { name = nurse.Name });
        foreach (var code in codes)
        {
            var normalised = code.Replace("-", "").Replace(" ", "").ToUpperInvariant();
            foreach (var candidate in new[] { code, normalised })
                Assert.DoesNotContain(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(candidate))), stored.Single(), StringComparison.OrdinalIgnoreCase);
        }

        using var first = new Staff(App);
        using var later = new Staff(App);
        Assert.Equal("/centre", (await first.LogInAsync(nurse.Name, code: codes[3])).Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.BadRequest, (await later.LogInAsync(nurse.Name, code: codes[3])).StatusCode);
        Assert.Equal("/centre", (await later.LogInAsync(nurse.Name, code: codes[4].ToLowerInvariant().Replace("-", " "))).Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task A_secret_seen_on_a_first_visit_does_not_work_after_a_second_visits_enrolment()
    {
        var name = "nurse-" + Guid.NewGuid().ToString("N")[..8];
        var invitation = await Staff.InviteAsync(App, name, Roles.Centre);
        using var earlier = new Staff(App);
        var seenEarlier = SecretField().Match(await earlier.Client.GetStringAsync(invitation.EnrolmentPath)).Groups[1].Value;
        using var person = new Staff(App);

        Assert.Equal(HttpStatusCode.OK, (await person.EnrolAsync(invitation.EnrolmentPath)).StatusCode);

        Assert.NotEqual(seenEarlier, person.Secret);
        var withEarlierSecret = await earlier.LogInAsync(name, code: Totp.Code(seenEarlier, DateTimeOffset.UtcNow));
        Assert.Equal(HttpStatusCode.BadRequest, withEarlierSecret.StatusCode);
        Assert.StartsWith("/account/login", (await earlier.Client.GetAsync("/centre")).Headers.Location?.AbsolutePath);
    }

    [Fact]
    public async Task A_refused_enrolment_does_not_show_the_secret_again()
    {
        var invitation = await Staff.InviteAsync(App, "nurse-" + Guid.NewGuid().ToString("N")[..8], Roles.Centre);
        using var person = new Staff(App);

        var refused = await person.EnrolAsync(invitation.EnrolmentPath, password: "short");

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var page = await refused.Content.ReadAsStringAsync();
        Assert.DoesNotContain(person.Secret!, page);
        Assert.DoesNotContain("secret=", page); // nor in a QR code's link
    }

    [Fact]
    public async Task An_enrolment_the_database_refuses_halfway_leaves_the_account_invited_and_its_link_working()
    {
        var name = "nurse-" + Guid.NewGuid().ToString("N")[..8];
        var invitation = await Staff.InviteAsync(App, name, Roles.Centre);
        // The database refuses to turn the second factor on (a full disk, a lost connection...), whatever else it accepted before.
        await using (var db = App.Database.Open())
            await db.ExecuteAsync(TestDatabase.IsPostgres
                ? $"""
                   CREATE FUNCTION refuse_{name.Replace('-', '_')}() RETURNS trigger LANGUAGE plpgsql AS $$
                   BEGIN IF NEW.two_factor_enabled = 1 AND NEW.user_name = '{name}' THEN RAISE EXCEPTION 'refused'; END IF; RETURN NEW; END $$;
                   CREATE TRIGGER refuse_{name.Replace('-', '_')} BEFORE UPDATE ON accounts FOR EACH ROW EXECUTE FUNCTION refuse_{name.Replace('-', '_')}();
                   """
                : $"""
                   CREATE TRIGGER refuse_{name.Replace('-', '_')} BEFORE UPDATE ON accounts
                   WHEN NEW.two_factor_enabled = 1 AND NEW.user_name = '{name}' BEGIN SELECT RAISE(ABORT, 'refused'); END;
                   """);
        using var person = new Staff(App);

        var refused = await person.EnrolAsync(invitation.EnrolmentPath);

        Assert.False(refused.IsSuccessStatusCode);
        var row = (await App.ColumnAsync<(string?, long, string)>(
            "SELECT password_hash, two_factor_enabled, recovery_codes FROM accounts WHERE user_name = @name;", new { name })).Single();
        Assert.Equal((null, 0L, ""), row);
        await using (var db = App.Database.Open())
            await db.ExecuteAsync($"DROP TRIGGER refuse_{name.Replace('-', '_')}{(TestDatabase.IsPostgres ? " ON accounts" : "")};");
        Assert.Equal(HttpStatusCode.OK, (await person.EnrolAsync(invitation.EnrolmentPath)).StatusCode);
    }

    [Fact]
    public async Task A_right_password_on_an_account_without_its_second_factor_gives_no_session_cookie()
    {
        using var nurse = await Staff.EnrolledAsync(App);
        // Half enrolled, as an enrolment interrupted between its steps used to leave an account.
        await using (var db = App.Database.Open())
            await db.ExecuteAsync("UPDATE accounts SET two_factor_enabled = 0 WHERE user_name = @name;", new { name = nurse.Name });

        var login = await nurse.LogInAsync(nurse.Name);

        Assert.Equal(HttpStatusCode.BadRequest, login.StatusCode);
        Assert.DoesNotContain(login.Headers.TryGetValues("Set-Cookie", out var cookies) ? cookies : [], c => c.StartsWith("alice.session="));
        Assert.StartsWith("/account/login", (await nurse.Client.GetAsync("/centre")).Headers.Location?.AbsolutePath);
    }
}
