using Alice.Accounts.Pages;
using Alice.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using QRCoder;
using T = Alice.Accounts.AccountTexts;

namespace Alice.Accounts;

/// <summary>
/// The login (password, then the authenticator's code), the one-time enrolment page, logout, and the
/// account's own pages (components under Pages/). Every post carries an antiforgery token; login and
/// enrolment posts are rate-limited; a failure says what to do, never which half of a login was wrong.
/// </summary>
public static class AccountEndpoints
{
    // Every field optional: a form with one missing is answered with the page and what to fix, not a bare error.
    internal sealed class LoginForm { public string? Name { get; set; } public string? Password { get; set; } public string? ReturnUrl { get; set; } }
    internal sealed class CodeForm { public string? Code { get; set; } public string? ReturnUrl { get; set; } }
    internal sealed class EnrolForm { public string? Id { get; set; } public string? Token { get; set; } public string? Password { get; set; } public string? Code { get; set; } }

    public static IEndpointRouteBuilder MapAccountEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapStyleSheet();
        var account = app.MapGroup("/account").AsStaffPages();
        account.MapGet("/login", (HttpContext http, string? returnUrl) => LoginPage(http, returnUrl, null));
        account.MapPost("/login", Login).RequireRateLimiting(AccountsExtensions.LoginLimit);
        account.MapGet("/code", (HttpContext http, string? returnUrl) => CodePage(http, returnUrl, null));
        account.MapPost("/code", Code).RequireRateLimiting(AccountsExtensions.LoginLimit);
        account.MapPost("/logout", async (SignInManager<Account> signIn) =>
        {
            await signIn.SignOutAsync();
            return TypedResults.Redirect("/account/login");
        });
        account.MapGet("/denied", (HttpContext http) => new DeniedModel(PageLanguage.Of(http)).Show(403));
        account.MapGet("/", (HttpContext http, AccountHomes homes) => Signed(http, homes)).RequireAuthorization();
        if (app.ServiceProvider.GetRequiredService<AccountHomes>().ShowsAudit) account.MapGet("/audit", AuditPage).RequireAuthorization(Roles.Operator);
        account.MapGet("/enrol", EnrolPage);
        account.MapPost("/enrol", Enrol).RequireRateLimiting(AccountsExtensions.LoginLimit);
        return app;
    }

    private static RazorComponentResult<LoginPage> LoginPage(HttpContext http, string? returnUrl, string? error, int status = 200) =>
        new LoginModel(PageLanguage.Of(http), LocalOrNull(returnUrl), error).Show(status);

    /// <summary>
    /// The password step. Whatever is wrong (no such name, a wrong password, an account locked, disabled,
    /// not enrolled, or attempts from this place held back) the answer is the same page with the same
    /// status, after the same work: one password hash checked (a stand-in's for a name that has none).
    /// A right password starts the second-factor step and nothing more: no session before the code.
    /// </summary>
    private static async Task<Results<RedirectHttpResult, RazorComponentResult<LoginPage>>> Login([FromForm] LoginForm? form, HttpContext http,
        StaffSignIn signIn, LoginThrottle throttle, DeviceCookies devices, StandInPassword standIn)
    {
        form ??= new(); // a post with none of the fields binds to nothing
        var lang = PageLanguage.Of(http);
        if (string.IsNullOrWhiteSpace(form.Name) || string.IsNullOrEmpty(form.Password) || form.Name.Length > 100 || form.Password.Length > 200)
            return LoginPage(http, form.ReturnUrl, T.Wrong.In(lang), 400);
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
            return TypedResults.Redirect("/account/code" + (LocalOrNull(form.ReturnUrl) is { } back ? "?returnUrl=" + Uri.EscapeDataString(back) : ""));
        if (!held) throttle.Failed(name, place, knownDevice);
        return LoginPage(http, form.ReturnUrl, T.Wrong.In(lang), 400);
    }

    private static RazorComponentResult<CodePage> CodePage(HttpContext http, string? returnUrl, string? error, int status = 200) =>
        new CodeModel(PageLanguage.Of(http), LocalOrNull(returnUrl), error).Show(status);

    private static async Task<Results<RedirectHttpResult, RazorComponentResult<LoginPage>, RazorComponentResult<CodePage>>> Code([FromForm] CodeForm? form,
        HttpContext http, SignInManager<Account> signIn, AccountHomes homes, LoginThrottle throttle, DeviceCookies devices)
    {
        form ??= new(); // a post with none of the fields binds to nothing
        var lang = PageLanguage.Of(http);
        var account = await signIn.GetTwoFactorAuthenticationUserAsync();
        if (account is null) return LoginPage(http, form.ReturnUrl, T.Expired.In(lang), 400);
        var code = (form.Code ?? "").Trim();
        if (code.Length is 0 or > 20) return CodePage(http, form.ReturnUrl, T.WrongCode.In(lang), 400);
        // Six digits: the app's code; anything else: a recovery code (used up once it logs in).
        var digits = code.Replace(" ", "");
        var result = digits.Length == 6 && digits.All(char.IsAsciiDigit)
            ? await signIn.TwoFactorAuthenticatorSignInAsync(digits, isPersistent: false, rememberClient: false)
            : await signIn.TwoFactorRecoveryCodeSignInAsync(code);
        if (result.IsLockedOut) return LoginPage(http, form.ReturnUrl, T.LockedOut.In(lang), 400);
        if (!result.Succeeded) return CodePage(http, form.ReturnUrl, T.WrongCode.In(lang), 400);
        // Logged in: the place it came from is clear, and this browser is known to the account from now on.
        throttle.Succeeded(account.NormalizedUserName, devices.PlaceOf(http, account.Id).Place);
        throttle.Succeeded(account.NormalizedUserName, devices.PlaceOf(http, null).Place);
        devices.Issue(http, account.Id, http.Request.IsHttps);
        return TypedResults.Redirect(LocalOrNull(form.ReturnUrl) ?? homes.For(account.Role));
    }

    /// <summary>The enrolment page: a new authenticator secret each time it is shown, and shown only here.</summary>
    private static async Task<Results<RazorComponentResult<EnrolPage>, RazorComponentResult<LinkInvalidPage>>> EnrolPage(HttpContext http,
        AccountService accounts, string? id, string? token, CancellationToken ct)
    {
        var lang = PageLanguage.Of(http);
        var account = await accounts.InvitedAsync(id, token);
        var authenticator = account is null ? null : await accounts.FreshAuthenticatorAsync(account, "Alice", ct);
        if (account is null || authenticator is not var (secret, uri)) return new LinkInvalidModel(lang).Show(400);
        var qr = new SvgQRCode(QRCodeGenerator.GenerateQrCode(uri, QRCodeGenerator.ECCLevel.Q)).GetGraphic(4);
        var image = "data:image/svg+xml;base64," + Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(qr));
        return new EnrolModel(lang, account.UserName, account.Id, token!, new AuthenticatorShown(image, secret), null).Show();
    }

    private static async Task<Results<RazorComponentResult<RecoveryCodesPage>, RazorComponentResult<EnrolPage>, RazorComponentResult<LinkInvalidPage>>> Enrol(
        [FromForm] EnrolForm? form, HttpContext http, AccountService accounts, CancellationToken ct)
    {
        form ??= new(); // a post with none of the fields binds to nothing
        var lang = PageLanguage.Of(http);
        var enrolment = await accounts.EnrolAsync(form.Id, form.Token, form.Password ?? "", form.Code ?? "", ct);
        if (enrolment.Succeeded) return new RecoveryCodesModel(lang, enrolment.RecoveryCodes).Show();
        var account = await accounts.InvitedAsync(form.Id, form.Token);
        return account is null
            ? new LinkInvalidModel(lang).Show(400)
            : new EnrolModel(lang, account.UserName, account.Id, form.Token!, null, string.Join(" ", enrolment.Errors)).Show(400);
    }

    private static async Task<RazorComponentResult<AuditPage>> AuditPage(HttpContext http, AuditLog audit, CancellationToken ct) =>
        new AuditModel(PageLanguage.Of(http), await audit.ReadAsync(500, ct)).Show();

    private static RazorComponentResult<HomePage> Signed(HttpContext http, AccountHomes homes)
    {
        var role = http.User.FindFirst(System.Security.Claims.ClaimTypes.Role)?.Value;
        return new HomeModel(PageLanguage.Of(http), http.User.Identity?.Name, role, homes.For(role), role == Roles.Operator && homes.ShowsAudit).Show();
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
