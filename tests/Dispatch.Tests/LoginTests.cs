using System.Net;
using System.Text.RegularExpressions;
using Alice.Accounts;
using Alice.Dispatch.Tests.Support;
using Alice.Signatures;
using Dapper;

namespace Alice.Dispatch.Tests;

/// <summary>
/// The password step as a stranger meets it: one answer and the same work whatever is wrong, so it tells
/// nobody which names exist; failures on a name hold back where they come from, never the person whose
/// name it is; limits count a whole IPv6 /64 as one address. Each client has its own address, behind the
/// proxy as in production.
/// </summary>
public partial class LoginTests(Hotline hotline) : IClassFixture<Hotline>
{
    private const string Attacker = "203.0.113.7";
    private const string Nurse = "198.51.100.20";

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"[^\"]+\"")]
    private static partial Regex Token();

    [GeneratedRegex("<input type=\"hidden\" name=\"returnUrl\" value=\"([^\"]*)\" ?/?>")]
    private static partial Regex ReturnUrlField();

    /// <summary>The page with its antiforgery token left out (the token differs from page to page).</summary>
    private static async Task<(HttpStatusCode, string)> AnswerAsync(HttpResponseMessage response) =>
        (response.StatusCode, Token().Replace(await response.Content.ReadAsStringAsync(), ""));

    [Fact]
    public async Task The_same_answer_and_the_same_work_for_an_unknown_name_a_wrong_password_and_a_locked_account()
    {
        await using var proxy = BehindProxy.Start(hotline.Partner);
        using var wrong = await Staff.EnrolledAsync(proxy.Factory);
        using var locked = await Staff.EnrolledAsync(proxy.Factory);
        // Locked as five wrong codes leave an account (only someone with its password gets that far).
        await using (var db = proxy.App.Database.Open())
            await db.ExecuteAsync("UPDATE accounts SET lockout_end = @end WHERE user_name = @name;",
                new { end = DateTimeOffset.UtcNow.AddMinutes(15).ToUnixTimeSeconds(), name = locked.Name });
        using var stranger = proxy.From(Attacker);

        async Task<((HttpStatusCode, string) Answer, int Work)> TryAsync(string name, string password)
        {
            var before = proxy.Hasher.Verifications;
            var answer = await AnswerAsync(await stranger.LogInAsync(name, password));
            return (answer, proxy.Hasher.Verifications - before);
        }
        var unknown = await TryAsync("nobody-" + Guid.NewGuid().ToString("N")[..8], "a wrong password here");
        var wrongPassword = await TryAsync(wrong.Name, "a wrong password here");
        var lockedOut = await TryAsync(locked.Name, Staff.Password); // even the right password

        Assert.Equal(HttpStatusCode.BadRequest, unknown.Answer.Item1);
        Assert.Equal(unknown.Answer, wrongPassword.Answer);
        Assert.Equal(unknown.Answer, lockedOut.Answer);
        Assert.Equal(1, unknown.Work);
        Assert.Equal(1, wrongPassword.Work);
        Assert.Equal(1, lockedOut.Work);
    }

    [Fact]
    public async Task A_staff_member_still_logs_in_while_another_address_fails_on_their_name_again_and_again()
    {
        await using var proxy = BehindProxy.Start(hotline.Partner);
        using var nurse = await Staff.EnrolledAsync(proxy.Factory);
        using var attacker = proxy.From(Attacker);
        using var atWork = proxy.From(Nurse);

        for (var i = 0; i < 30; i++)
            Assert.Equal(HttpStatusCode.BadRequest, (await attacker.LogInAsync(nurse.Name, "guess number " + i)).StatusCode);
        var login = await LogInAsAsync(atWork, nurse);

        Assert.Equal("/centre", login.Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.OK, (await atWork.Client.GetAsync("/centre")).StatusCode);
        // The attacker's address is held back for this name even with the right password.
        Assert.Equal(HttpStatusCode.BadRequest, (await attacker.LogInAsync(nurse.Name, Staff.Password)).StatusCode);
    }

    [Fact]
    public async Task Failures_from_many_networks_hold_back_new_browsers_but_not_the_one_the_staff_member_logged_in_with()
    {
        await using var proxy = BehindProxy.Start(hotline.Partner);
        using var nurse = await Staff.EnrolledAsync(proxy.Factory);
        using var atWork = proxy.From(Nurse);
        var first = DateTimeOffset.UtcNow;
        Assert.Equal("/centre", (await LogInAsAsync(atWork, nurse, Totp.Code(nurse.Secret!, first))).Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.Redirect, (await atWork.Client.PostAsync("/account/logout", Form(await atWork.Client.GetStringAsync("/account/login")))).StatusCode);

        // A botnet: a few guesses from each of many networks, none of them held back on its own.
        for (var network = 0; network < 12; network++)
        {
            using var bot = proxy.From($"2001:db8:{network + 1:x}::1");
            for (var i = 0; i < 3; i++) await bot.LogInAsync(nurse.Name, $"guess {network}-{i}");
        }
        using var newBrowser = proxy.From("192.0.2.50");
        var fromNewBrowser = await newBrowser.LogInAsync(nurse.Name, Staff.Password);
        var fromHerBrowser = await LogInAsAsync(atWork, nurse, Totp.Code(nurse.Secret!, first.AddSeconds(30)));

        Assert.Equal(HttpStatusCode.BadRequest, fromNewBrowser.StatusCode);
        Assert.Equal("/centre", fromHerBrowser.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task Login_posts_are_limited_per_ipv6_64_not_per_address()
    {
        await using var proxy = BehindProxy.Start(hotline.Partner, new() { ["Accounts:LoginAttemptsPerMinute"] = "3" });
        for (var i = 1; i <= 3; i++)
        {
            using var sameNetwork = proxy.From($"2001:db8:5:6::{i:x}");
            Assert.Equal(HttpStatusCode.BadRequest, (await sameNetwork.LogInAsync("nobody", "wrong password here")).StatusCode);
        }
        using var fourth = proxy.From("2001:db8:5:6:ffff:1:2:3");
        using var otherNetwork = proxy.From("2001:db8:5:7::1");

        Assert.Equal(HttpStatusCode.TooManyRequests, (await fourth.LogInAsync("nobody", "wrong password here")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await otherNetwork.LogInAsync("nobody", "wrong password here")).StatusCode);
    }

    public static TheoryData<string> Refused =>
    [
        "https://evil.example/", "//evil.example", "/\\evil.example", "\\/evil.example", "\\\\evil.example",
        "/\t/evil.example", "/\n/evil.example", "/\r/evil.example", "\t//evil.example", " //evil.example", "/ /evil.example",
        "/%2F/evil.example", "/%2f/evil.example", "/%5C/evil.example", "/%5c/evil.example", "/%09/evil.example",
        "%2F%2Fevil.example", "/%252F/evil.example", "/%0A/evil.example", "/\u3000/evil.example", "/\0/evil.example",
        "javascript:alert(1)", "centre", "",
    ];

    [Theory]
    [MemberData(nameof(Refused))]
    public async Task After_login_a_way_off_this_site_is_refused(string returnUrl)
    {
        using var browser = new Staff(hotline.App);
        var page = await browser.Client.GetStringAsync("/account/login?returnUrl=" + Uri.EscapeDataString(returnUrl));
        Assert.Equal("", ReturnUrlField().Match(page).Groups[1].Value);
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/centre")]
    [InlineData("/centre?arrived=1234")]
    [InlineData("/totals?campus=alma&by=month")]
    public async Task After_login_a_path_of_this_site_is_kept(string returnUrl)
    {
        using var browser = new Staff(hotline.App);
        var page = await browser.Client.GetStringAsync("/account/login?returnUrl=" + Uri.EscapeDataString(returnUrl));
        Assert.Equal(returnUrl, WebUtility.HtmlDecode(ReturnUrlField().Match(page).Groups[1].Value));
    }

    private static FormUrlEncodedContent Form(string page) => new(new Dictionary<string, string>
    {
        ["__RequestVerificationToken"] = Regex.Match(page, "name=\"__RequestVerificationToken\" value=\"([^\"]+)\"").Groups[1].Value,
    });

    /// <summary>The person logs in from this browser with their own password and app.</summary>
    private static Task<HttpResponseMessage> LogInAsAsync(Staff browser, Staff person, string? code = null) =>
        browser.LogInAsync(person.Name, code: code ?? Totp.Code(person.Secret!, DateTimeOffset.UtcNow));
}
