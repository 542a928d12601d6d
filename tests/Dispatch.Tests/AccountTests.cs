using System.Net;
using Alice.Accounts;
using Alice.Dispatch.Tests.Support;
using Alice.Signatures;
using Dapper;
using Microsoft.Extensions.DependencyInjection;

namespace Alice.Dispatch.Tests;

/// <summary>Accounts: only by invitation, enrolled once with a second factor, guesses held back after repeated failures.</summary>
public class AccountTests(Hotline hotline) : IClassFixture<Hotline>
{
    private DispatchApp App => hotline.App;

    private static string NewName() => "nurse-" + Guid.NewGuid().ToString("N")[..8];

    [Fact]
    public async Task An_invited_account_enrols_once_with_its_link_then_logs_in_with_password_and_code()
    {
        var name = NewName();
        var invitation = await Staff.InviteAsync(App, name, Roles.Centre);
        using var staff = new Staff(App);

        var enrolled = await staff.EnrolAsync(invitation.EnrolmentPath);
        Assert.Equal(HttpStatusCode.OK, enrolled.StatusCode);
        var codes = await enrolled.Content.ReadAsStringAsync();
        Assert.Equal(10, System.Text.RegularExpressions.Regex.Matches(codes, "<li><code>").Count);

        var login = await staff.LogInAsync(name);
        Assert.Equal("/centre", login.Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.OK, (await staff.Client.GetAsync("/centre")).StatusCode);

        // The link worked once: opened again, it is refused and says what to do.
        var again = await staff.Client.GetAsync(invitation.EnrolmentPath);
        Assert.Equal(HttpStatusCode.BadRequest, again.StatusCode);
        Assert.Contains("Demandez-en un nouveau à un opérateur", await again.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_wrong_code_at_enrolment_is_refused_and_the_link_still_works()
    {
        var invitation = await Staff.InviteAsync(App, NewName(), Roles.Centre);
        using var staff = new Staff(App);

        var wrong = await staff.EnrolAsync(invitation.EnrolmentPath, code: _ => "000000");
        Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        Assert.Contains("The code from the app is not right", await wrong.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, (await staff.EnrolAsync(invitation.EnrolmentPath)).StatusCode);
    }

    [Fact]
    public async Task A_short_password_is_refused_at_enrolment_with_the_rule()
    {
        var invitation = await Staff.InviteAsync(App, NewName(), Roles.Centre);
        using var staff = new Staff(App);
        var refused = await staff.EnrolAsync(invitation.EnrolmentPath, password: "short");
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("at least 12 characters", await refused.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_password_alone_never_logs_in()
    {
        using var staff = await Staff.EnrolledAsync(App);
        var name = staff.Name;
        var right = Totp.Code(staff.Secret!, DateTimeOffset.UtcNow);

        var login = await staff.LogInAsync(name, code: right == "123456" ? "654321" : "123456");

        Assert.Equal(HttpStatusCode.BadRequest, login.StatusCode);
        Assert.Contains("Ce code n'est pas valable", WebUtility.HtmlDecode(await login.Content.ReadAsStringAsync()));
        Assert.StartsWith("/account/login", (await staff.Client.GetAsync("/centre")).Headers.Location?.AbsolutePath);
    }

    [Fact]
    public async Task Five_wrong_passwords_hold_back_that_place_even_for_the_right_one()
    {
        using var staff = await Staff.EnrolledAsync(App);
        var (name, enrolled) = (staff.Name, staff.Enrolment!);
        Assert.Equal(HttpStatusCode.OK, enrolled.StatusCode);

        for (var i = 0; i < 5; i++) Assert.Equal(HttpStatusCode.BadRequest, (await staff.LogInAsync(name, "not the passphrase at all")).StatusCode);
        var right = await staff.LogInAsync(name);

        Assert.Equal(HttpStatusCode.BadRequest, right.StatusCode);
        Assert.Contains("trop d'essais depuis cet endroit", System.Net.WebUtility.HtmlDecode(await right.Content.ReadAsStringAsync()));
    }

    [Fact]
    public async Task A_recovery_code_logs_in_once()
    {
        using var staff = await Staff.EnrolledAsync(App);
        var (name, enrolled) = (staff.Name, staff.Enrolment!);
        var code = System.Text.RegularExpressions.Regex.Match(await enrolled.Content.ReadAsStringAsync(), "<li><code>([^<]+)</code>").Groups[1].Value;

        Assert.Equal("/centre", (await staff.LogInAsync(name, code: code)).Headers.Location?.OriginalString);
        using var later = new Staff(App);
        Assert.Equal(HttpStatusCode.BadRequest, (await later.LogInAsync(name, code: code)).StatusCode);
    }

    [Fact]
    public async Task After_login_only_a_path_on_this_site_is_followed()
    {
        using var staff = await Staff.EnrolledAsync(App);
        var name = staff.Name;
        var login = await staff.LogInAsync(name, returnUrl: "https://elsewhere.example/phish");
        Assert.Equal("/centre", login.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task A_login_post_without_its_antiforgery_token_is_refused()
    {
        using var staff = new Staff(App);
        var response = await staff.Client.PostAsync("/account/login", new FormUrlEncodedContent(new Dictionary<string, string> { ["name"] = "x", ["password"] = "y" }));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Theory]
    [InlineData("/account/login")]
    [InlineData("/account/code")]
    [InlineData("/account/enrol")]
    public async Task A_form_posted_with_no_field_at_all_is_refused_with_a_page_not_an_error(string path)
    {
        using var staff = new Staff(App);
        var response = await staff.PostAsync(path, await staff.Client.GetStringAsync("/account/login"), []);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("<h1>", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("/account/login")]
    [InlineData("/account/enrol?id=x&token=y")]
    public async Task Staff_pages_carry_the_security_headers(string path)
    {
        using var staff = new Staff(App);
        var response = await staff.Client.GetAsync(path);
        Assert.Contains("frame-ancestors 'none'", response.Headers.GetValues("Content-Security-Policy").Single());
        Assert.Contains("script-src 'self'", response.Headers.GetValues("Content-Security-Policy").Single());
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Contains("max-age", response.Headers.GetValues("Strict-Transport-Security").Single()); // Production, over HTTPS
    }

    [Fact]
    public async Task The_login_cookie_is_secure_http_only_and_same_site()
    {
        using var staff = await Staff.EnrolledAsync(App);
        var name = staff.Name;
        var login = await staff.LogInAsync(name);
        var cookie = login.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("alice.session="));
        Assert.Contains("secure", cookie);
        Assert.Contains("httponly", cookie);
        Assert.Contains("samesite=strict", cookie);
    }

    [Fact]
    public async Task A_disabled_account_cannot_log_in()
    {
        using var staff = await Staff.EnrolledAsync(App);
        var name = staff.Name;
        await using var scope = App.Services.CreateAsyncScope();
        Assert.Null(await scope.ServiceProvider.GetRequiredService<AccountService>().DisableAsync(name, "test operator", default));

        var login = await staff.LogInAsync(name);
        Assert.Equal(HttpStatusCode.BadRequest, login.StatusCode);
        var audit = await App.Services.GetRequiredService<AuditLog>().ReadAsync(100, default);
        Assert.Contains(audit, e => e.Action == "account.disabled" && e.Subject == $"{name} (Centre)" && e.Actor == "test operator");
    }

    [Fact]
    public async Task The_first_operator_comes_from_the_command_and_a_second_is_refused()
    {
        var output = new StringWriter();
        var first = await AccountCommands.RunAsync(App.Services, ["create-operator", "olivia"], [Roles.Centre, Roles.Operator], DispatchApp.PublicBaseUrl, development: false, output, default);
        var second = await AccountCommands.RunAsync(App.Services, ["create-operator", "oscar"], [Roles.Centre, Roles.Operator], DispatchApp.PublicBaseUrl, development: false, output, default);

        Assert.Equal(0, first);
        Assert.Contains($"{DispatchApp.PublicBaseUrl}/account/enrol?id=", output.ToString());
        Assert.Equal(1, second);
        Assert.Contains("An operator exists already", output.ToString());
    }

    [Theory]
    [InlineData("development-centre")]
    [InlineData("development-code", "centre")]
    public async Task Development_accounts_are_refused_outside_development(params string[] command)
    {
        var output = new StringWriter();
        Assert.Equal(1, await AccountCommands.RunAsync(App.Services, command, [Roles.Centre, Roles.Operator], DispatchApp.PublicBaseUrl, development: false, output, default));
        Assert.Contains("only in the Development environment", output.ToString());
    }

    [Fact]
    public async Task Neither_the_authenticator_secret_nor_a_recovery_code_is_stored_as_it_is()
    {
        using var staff = await Staff.EnrolledAsync(App);
        var (name, enrolled) = (staff.Name, staff.Enrolment!);
        var code = System.Text.RegularExpressions.Regex.Match(await enrolled.Content.ReadAsStringAsync(), "<li><code>([^<]+)</code>").Groups[1].Value;

        await using var connection = App.Database.Open();
        var row = string.Join("|", (await connection.QueryAsync<(string?, string)>(
            "SELECT authenticator_key, recovery_codes FROM accounts WHERE user_name = @name;", new { name })).Select(r => r.Item1 + r.Item2));
        Assert.NotEmpty(row);
        Assert.DoesNotContain(staff.Secret!, row);
        Assert.DoesNotContain(code, row);
    }

    [Fact]
    public async Task Login_posts_beyond_the_limit_a_minute_are_refused_with_a_message()
    {
        await using var app = new DispatchApp(hotline.Partner, settings: new() { ["Accounts:LoginAttemptsPerMinute"] = "3" });
        using var staff = new Staff(app);
        for (var i = 0; i < 3; i++) Assert.Equal(HttpStatusCode.BadRequest, (await staff.LogInAsync("nobody", "wrong password here")).StatusCode);

        var refused = await staff.LogInAsync("nobody", "wrong password here");

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Contains("Wait a minute", await refused.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Operators_read_the_audit_and_nobody_else_does()
    {
        using var operatorStaff = await Staff.LoggedInAsync(App, Roles.Operator);
        using var nurse = await Staff.LoggedInAsync(App, Roles.Centre, "nurse-audited");

        var audit = await operatorStaff.Client.GetAsync("/account/audit");
        Assert.Equal(HttpStatusCode.OK, audit.StatusCode);
        Assert.Contains("<td>account.invited</td><td>nurse-audited (Centre)</td>", await audit.Content.ReadAsStringAsync());
        Assert.Equal("/account/denied", (await nurse.Client.GetAsync("/account/audit")).Headers.Location?.AbsolutePath);
    }
}
