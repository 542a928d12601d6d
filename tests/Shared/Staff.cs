using System.Net;
using System.Text.RegularExpressions;
using Alice.Accounts;
using Alice.Signatures;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Alice.Testing;

/// <summary>
/// A person at a browser, against an in-process host (the dispatch service or the admin panel) over HTTPS
/// (the cookies are secure): follows no redirect by itself, so each answer can be looked at; reads forms'
/// antiforgery tokens as a browser would submit them.
/// </summary>
public sealed partial class Staff<TEntry>(WebApplicationFactory<TEntry> app) : IDisposable where TEntry : class
{
    public const string Password = "a long enough passphrase";

    public HttpClient Client { get; } = app.CreateClient(new WebApplicationFactoryClientOptions
    {
        BaseAddress = new Uri("https://localhost"),
        AllowAutoRedirect = false,
    });

    /// <summary>The authenticator secret this person enrolled with.</summary>
    public string? Secret { get; private set; }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex TokenField();

    [GeneratedRegex("<code id=\"secret\">([A-Z2-7]+)</code>")]
    private static partial Regex SecretField();

    /// <summary>An account invited as an operator would, enrolled and logged in.</summary>
    public static async Task<Staff<TEntry>> LoggedInAsync(WebApplicationFactory<TEntry> app, string role, string? name = null)
    {
        var staff = await EnrolledAsync(app, role, name);
        Assert.Equal(HttpStatusCode.OK, staff.Enrolment!.StatusCode);
        var login = await staff.LogInAsync(staff.Name);
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        return staff;
    }

    /// <summary>The account's login name, once invited by <see cref="EnrolledAsync"/>.</summary>
    public string Name { get; private set; } = "";

    /// <summary>The answer to the enrolment (the recovery codes' page).</summary>
    public HttpResponseMessage? Enrolment { get; private set; }

    /// <summary>A person whose account was invited and enrolled, not logged in yet.</summary>
    public static async Task<Staff<TEntry>> EnrolledAsync(WebApplicationFactory<TEntry> app, string role = Roles.Centre, string? name = null)
    {
        var staff = new Staff<TEntry>(app) { Name = name ?? role.ToLowerInvariant() + "-" + Guid.NewGuid().ToString("N")[..8] };
        staff.Enrolment = await staff.EnrolAsync((await InviteAsync(app, staff.Name, role)).EnrolmentPath);
        return staff;
    }

    public static async Task<Invitation> InviteAsync(WebApplicationFactory<TEntry> app, string name, string role)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var (invitation, error) = await scope.ServiceProvider.GetRequiredService<AccountService>().InviteAsync(name, role, "test operator", CancellationToken.None);
        return invitation ?? throw new InvalidOperationException(error);
    }

    /// <summary>Opens the enrolment link, reads the secret as a person types it into the app, and enrols with the app's code.</summary>
    public async Task<HttpResponseMessage> EnrolAsync(string link, string password = Password, Func<string, string>? code = null)
    {
        var page = await Client.GetStringAsync(link);
        Secret = SecretField().Match(page).Groups[1].Value;
        var query = System.Web.HttpUtility.ParseQueryString(new Uri(new Uri("https://localhost"), link).Query);
        return await PostAsync("/account/enrol", page, new()
        {
            ["id"] = query["id"]!, ["token"] = query["token"]!, ["password"] = password,
            ["code"] = (code ?? (secret => Totp.Code(secret, DateTimeOffset.UtcNow)))(Secret),
        });
    }

    /// <summary>Password, then the authenticator's code (or the code given); the answer to the code step, or to the password step if it failed.</summary>
    public async Task<HttpResponseMessage> LogInAsync(string name, string password = Password, string? code = null, string? returnUrl = null)
    {
        var first = await PostAsync("/account/login", await Client.GetStringAsync("/account/login"), new()
        {
            ["name"] = name, ["password"] = password, ["returnUrl"] = returnUrl ?? "",
        });
        if (first.Headers.Location?.OriginalString.StartsWith("/account/code") != true) return first;
        return await PostAsync("/account/code", await Client.GetStringAsync(first.Headers.Location.OriginalString), new()
        {
            ["code"] = code ?? Totp.Code(Secret!, DateTimeOffset.UtcNow), ["returnUrl"] = returnUrl ?? "",
        });
    }

    /// <summary>Posts a form as the page would, with the antiforgery token the page carries.</summary>
    public Task<HttpResponseMessage> PostAsync(string action, string page, Dictionary<string, string> fields)
    {
        fields["__RequestVerificationToken"] = TokenField().Match(page).Groups[1].Value;
        return Client.PostAsync(action, new FormUrlEncodedContent(fields));
    }

    public void Dispose() => Client.Dispose();
}
