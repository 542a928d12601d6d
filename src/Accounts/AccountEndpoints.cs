using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using QRCoder;
using static Alice.Accounts.Html;
using T = Alice.Accounts.AccountTexts;

namespace Alice.Accounts;

/// <summary>
/// The login (password, then the authenticator's code), the one-time enrolment page, logout, and the
/// stylesheet of all staff pages. Every post carries an antiforgery token; login and enrolment posts
/// are rate-limited; a failure says what to do, never which half of a login was wrong.
/// </summary>
public static class AccountEndpoints
{
    // Every field optional: a form with one missing is answered with the page and what to fix, not a bare error.
    internal sealed class LoginForm { public string? Name { get; set; } public string? Password { get; set; } public string? ReturnUrl { get; set; } }
    internal sealed class CodeForm { public string? Code { get; set; } public string? ReturnUrl { get; set; } }
    internal sealed class EnrolForm { public string? Id { get; set; } public string? Token { get; set; } public string? Password { get; set; } public string? Code { get; set; } }

    public static IEndpointRouteBuilder MapAccountEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/assets/alice.css", () => Results.Stream(
            typeof(AccountEndpoints).Assembly.GetManifestResourceStream("Alice.Accounts.Assets.alice.css")!, "text/css; charset=utf-8"))
            .AddEndpointFilter<SecurityHeaders>();

        var account = app.MapGroup("/account").AsStaffPages();
        account.MapGet("/login", (HttpContext http, IAntiforgery af, string? returnUrl) => LoginPage(http, af, returnUrl, null));
        account.MapPost("/login", Login).RequireRateLimiting(AccountsExtensions.LoginLimit);
        account.MapGet("/code", (HttpContext http, IAntiforgery af, string? returnUrl) => CodePage(http, af, returnUrl, null));
        account.MapPost("/code", Code).RequireRateLimiting(AccountsExtensions.LoginLimit);
        account.MapPost("/logout", async (SignInManager<Account> signIn) =>
        {
            await signIn.SignOutAsync();
            return Results.Redirect("/account/login");
        });
        account.MapGet("/denied", (HttpContext http) =>
        {
            var lang = PageLanguage.Of(http);
            return Page(lang, T.Denied.In(lang), $"<h1>{E(T.Denied.In(lang))}</h1><p><a href=\"/account/login\">{E(T.LogIn.In(lang))}</a></p>", 403);
        });
        account.MapGet("/", (HttpContext http, IAntiforgery af, AccountHomes homes) => Signed(http, af, homes)).RequireAuthorization();
        if (app.ServiceProvider.GetRequiredService<AccountHomes>().ShowsAudit) account.MapGet("/audit", AuditPage).RequireAuthorization(Roles.Operator);
        account.MapGet("/enrol", EnrolPage);
        account.MapPost("/enrol", Enrol).RequireRateLimiting(AccountsExtensions.LoginLimit);
        return app;
    }

    /// <summary>A logout button for a page's header: a form, so logging out cannot be triggered by a link from elsewhere.</summary>
    public static string LogoutForm(IAntiforgery antiforgery, HttpContext http, string language) =>
        $"<form method=\"post\" action=\"/account/logout\" class=\"logout\">{Antiforgery(antiforgery, http)}<button type=\"submit\">{E(T.LogOut.In(language))}</button></form>";

    private static IResult LoginPage(HttpContext http, IAntiforgery af, string? returnUrl, string? error, int status = 200)
    {
        var lang = PageLanguage.Of(http);
        return Page(lang, T.LogIn.In(lang), $"""
            <h1>{E(T.LogIn.In(lang))}</h1>
            {Error(error)}
            <form method="post" action="/account/login">
            {Antiforgery(af, http)}
            <input type="hidden" name="returnUrl" value="{E(LocalOrNull(returnUrl))}">
            <label>{E(T.Name.In(lang))}<input name="name" autocomplete="username" required autofocus></label>
            <label>{E(T.Password.In(lang))}<input name="password" type="password" autocomplete="current-password" required></label>
            <button type="submit">{E(T.Continue.In(lang))}</button>
            </form>
            """, status);
    }

    /// <summary>
    /// The password step. Whatever is wrong (no such name, a wrong password, an account locked, disabled,
    /// not enrolled, or attempts from this place held back) the answer is the same page with the same
    /// status, after the same work: one password hash checked (a stand-in's for a name that has none).
    /// A right password starts the second-factor step and nothing more: no session before the code.
    /// </summary>
    private static async Task<IResult> Login([FromForm] LoginForm? form, HttpContext http, IAntiforgery af, StaffSignIn signIn,
        LoginThrottle throttle, DeviceCookies devices, StandInPassword standIn)
    {
        form ??= new(); // a post with none of the fields binds to nothing
        var lang = PageLanguage.Of(http);
        if (string.IsNullOrWhiteSpace(form.Name) || string.IsNullOrEmpty(form.Password) || form.Name.Length > 100 || form.Password.Length > 200)
            return LoginPage(http, af, form.ReturnUrl, T.Wrong.In(lang), 400);
        var users = signIn.UserManager;
        var name = users.NormalizeName(form.Name.Trim()) ?? "";
        var account = await users.FindByNameAsync(form.Name.Trim());
        var (place, knownDevice) = devices.PlaceOf(http, account?.Id);
        var held = throttle.IsHeld(name, place, knownDevice);
        var passwordRight = account?.PasswordHash is not null
            ? await users.CheckPasswordAsync(account, form.Password)
            : standIn.Check(users, form.Password);
        var mayContinue = passwordRight && !held && account is { Enrolled: true, DisabledAt: null } && !await users.IsLockedOutAsync(account);
        if (mayContinue && await signIn.StartSecondFactorAsync(account!))
            return Results.Redirect("/account/code" + (LocalOrNull(form.ReturnUrl) is { } back ? "?returnUrl=" + Uri.EscapeDataString(back) : ""));
        if (!held) throttle.Failed(name, place, knownDevice);
        return LoginPage(http, af, form.ReturnUrl, T.Wrong.In(lang), 400);
    }

    private static IResult CodePage(HttpContext http, IAntiforgery af, string? returnUrl, string? error, int status = 200)
    {
        var lang = PageLanguage.Of(http);
        return Page(lang, T.SecondFactor.In(lang), $"""
            <h1>{E(T.SecondFactor.In(lang))}</h1>
            {Error(error)}
            <form method="post" action="/account/code">
            {Antiforgery(af, http)}
            <input type="hidden" name="returnUrl" value="{E(LocalOrNull(returnUrl))}">
            <label>{E(T.SecondFactorHelp.In(lang))}<input name="code" autocomplete="one-time-code" inputmode="numeric" required autofocus></label>
            <button type="submit">{E(T.LogIn.In(lang))}</button>
            </form>
            """, status);
    }

    private static async Task<IResult> Code([FromForm] CodeForm? form, HttpContext http, IAntiforgery af, SignInManager<Account> signIn, AccountHomes homes,
        LoginThrottle throttle, DeviceCookies devices)
    {
        form ??= new(); // a post with none of the fields binds to nothing
        var lang = PageLanguage.Of(http);
        var account = await signIn.GetTwoFactorAuthenticationUserAsync();
        if (account is null) return LoginPage(http, af, form.ReturnUrl, T.Expired.In(lang), 400);
        var code = (form.Code ?? "").Trim();
        if (code.Length is 0 or > 20) return CodePage(http, af, form.ReturnUrl, T.WrongCode.In(lang), 400);
        // Six digits: the app's code; anything else: a recovery code (used up once it logs in).
        var digits = code.Replace(" ", "");
        var result = digits.Length == 6 && digits.All(char.IsAsciiDigit)
            ? await signIn.TwoFactorAuthenticatorSignInAsync(digits, isPersistent: false, rememberClient: false)
            : await signIn.TwoFactorRecoveryCodeSignInAsync(code);
        if (result.IsLockedOut) return LoginPage(http, af, form.ReturnUrl, T.LockedOut.In(lang), 400);
        if (!result.Succeeded) return CodePage(http, af, form.ReturnUrl, T.WrongCode.In(lang), 400);
        // Logged in: the place it came from is clear, and this browser is known to the account from now on.
        throttle.Succeeded(account.NormalizedUserName, devices.PlaceOf(http, account.Id).Place);
        throttle.Succeeded(account.NormalizedUserName, devices.PlaceOf(http, null).Place);
        devices.Issue(http, account.Id, http.Request.IsHttps);
        return Results.Redirect(LocalOrNull(form.ReturnUrl) ?? homes.For(account.Role));
    }

    /// <summary>The enrolment page: a new authenticator secret each time it is shown, and shown only here.</summary>
    private static async Task<IResult> EnrolPage(HttpContext http, IAntiforgery af, AccountService accounts, string? id, string? token, CancellationToken ct)
    {
        var lang = PageLanguage.Of(http);
        var account = await accounts.InvitedAsync(id, token);
        var authenticator = account is null ? null : await accounts.FreshAuthenticatorAsync(account, "Alice", ct);
        if (account is null || authenticator is null) return LinkInvalid(lang);
        return EnrolmentForm(http, af, account, token!, authenticator, null, 200);
    }

    private static IResult LinkInvalid(string lang) => Page(lang, T.Enrol.In(lang), $"<h1>{E(T.Enrol.In(lang))}</h1>{Error(T.LinkInvalid.In(lang))}", 400);

    /// <summary>
    /// The form, with the secret to scan when the page was just opened; after a refused post without it (the
    /// secret is shown once): the app keeps the one it scanned, and opening the link again gives a new one.
    /// </summary>
    private static IResult EnrolmentForm(HttpContext http, IAntiforgery af, Account account, string token, (string Secret, string Uri)? authenticator, string? error, int status)
    {
        var lang = PageLanguage.Of(http);
        string scan;
        if (authenticator is { } shown)
        {
            var (secret, uri) = shown;
            var qr = new SvgQRCode(QRCodeGenerator.GenerateQrCode(uri, QRCodeGenerator.ECCLevel.Q)).GetGraphic(4);
            var image = "data:image/svg+xml;base64," + Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(qr));
            scan = $"""
                <img class="qr" src="{image}" alt="QR">
                <p>{E(T.SecretText.In(lang))} <code id="secret">{E(secret)}</code></p>
                """;
        }
        else
        {
            var again = $"/account/enrol?id={Uri.EscapeDataString(account.Id)}&token={Uri.EscapeDataString(token)}";
            scan = $"<p>{E(T.SecretKept.In(lang))} <a href=\"{E(again)}\">{E(T.SecretAgain.In(lang))}</a></p>";
        }
        return Page(lang, T.Enrol.In(lang), $"""
            <h1>{E(T.Enrol.In(lang))}</h1>
            <p>{E(account.UserName)}</p>
            {Error(error)}
            <p>{E(T.EnrolIntro.In(lang))}</p>
            <form method="post" action="/account/enrol">
            {Antiforgery(af, http)}
            <input type="hidden" name="id" value="{E(account.Id)}">
            <input type="hidden" name="token" value="{E(token)}">
            <label>{E(T.Password.In(lang))}<input name="password" type="password" autocomplete="new-password" minlength="12" required></label>
            {scan}
            <label>{E(T.SecondFactor.In(lang))}<input name="code" autocomplete="one-time-code" inputmode="numeric" required></label>
            <button type="submit">{E(T.Continue.In(lang))}</button>
            </form>
            """, status);
    }

    private static async Task<IResult> Enrol([FromForm] EnrolForm? form, HttpContext http, IAntiforgery af, AccountService accounts, CancellationToken ct)
    {
        form ??= new(); // a post with none of the fields binds to nothing
        var lang = PageLanguage.Of(http);
        var enrolment = await accounts.EnrolAsync(form.Id, form.Token, form.Password ?? "", form.Code ?? "", ct);
        if (!enrolment.Succeeded)
        {
            var account = await accounts.InvitedAsync(form.Id, form.Token);
            return account is null ? LinkInvalid(lang) : EnrolmentForm(http, af, account, form.Token!, null, string.Join(" ", enrolment.Errors), 400);
        }
        var codes = string.Join("", enrolment.RecoveryCodes.Select(c => $"<li><code>{E(c)}</code></li>"));
        return Page(lang, T.RecoveryTitle.In(lang), $"""
            <h1>{E(T.RecoveryTitle.In(lang))}</h1>
            <p>{E(T.RecoveryIntro.In(lang))}</p>
            <ul class="codes">{codes}</ul>
            <p><a class="button" href="/account/login">{E(T.LogIn.In(lang))}</a></p>
            """);
    }

    /// <summary>The audit, for operators: who did what and when, the newest first.</summary>
    private static async Task<IResult> AuditPage(HttpContext http, AuditLog audit, CancellationToken ct)
    {
        var lang = PageLanguage.Of(http);
        var rows = string.Concat((await audit.ReadAsync(500, ct)).Select(e =>
            $"<tr><td>{e.At:yyyy-MM-dd HH:mm} UTC</td><td>{E(e.Actor)}</td><td>{E(e.Action)}</td><td>{E(e.Subject)}</td></tr>"));
        return Page(lang, T.Audit.In(lang), $"""
            <h1>{E(T.Audit.In(lang))}</h1>
            <table class="rides"><thead><tr><th>{E(T.When.In(lang))}</th><th>{E(T.Who.In(lang))}</th><th>{E(T.What.In(lang))}</th><th>{E(T.Subject.In(lang))}</th></tr></thead>
            <tbody>{rows}</tbody></table>
            """);
    }

    private static IResult Signed(HttpContext http, IAntiforgery af, AccountHomes homes)
    {
        var lang = PageLanguage.Of(http);
        var role = http.User.FindFirst(System.Security.Claims.ClaimTypes.Role)?.Value;
        var audit = role == Roles.Operator && homes.ShowsAudit ? $"<p><a href=\"/account/audit\">{E(T.Audit.In(lang))}</a></p>" : "";
        return Page(lang, T.Home.In(lang), $"""
            <h1>{E(T.LoggedInAs.In(lang))} {E(http.User.Identity?.Name)} ({E(role)})</h1>
            <p><a href="{E(homes.For(role))}">{E(T.Home.In(lang))}</a></p>
            {audit}
            {LogoutForm(af, http, lang)}
            """);
    }

    /// <summary>
    /// Only a path on this site is followed after login, never another site (an open redirect): it starts with
    /// one '/', and holds printable ASCII only, so no control character or blank a browser would drop
    /// (<c>/\t/evil</c> is <c>//evil</c> to it), no backslash (read as '/'), nothing outside ASCII. The same holds
    /// once decoded, as often as it decodes (<c>/%2F/</c>, <c>/%5C</c>, <c>%09</c>, <c>%252F</c>…). Paths of this
    /// site need none of these.
    /// </summary>
    internal static string? LocalOrNull(string? url)
    {
        if (string.IsNullOrEmpty(url) || url.Length > 2000) return null;
        var decoded = url;
        for (var i = 0; i < 5; i++)
        {
            if (!LooksLocal(decoded)) return null;
            var next = Uri.UnescapeDataString(decoded);
            if (next == decoded) return url;
            decoded = next;
        }
        return null; // encoded five times over: no page of this site is
    }

    private static bool LooksLocal(string path) =>
        path is ['/'] or ['/', not '/' and not '\\', ..]
        && path.All(c => c is > ' ' and < '\x7f' and not '\\')
        && !path.Contains("://", StringComparison.Ordinal);
}
