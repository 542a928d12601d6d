using System.Security.Claims;
using Alice.Accounts;
using Alice.Web;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using T = Alice.Admin.Operators.OperatorTexts;

namespace Alice.Admin.Operators;

/// <summary>
/// Operators manage organisers' accounts from the panel: invite (a one-time enrolment link), disable, and
/// reset a second factor (a new link). Organisers only: another operator is made, reset or disabled from the
/// panel's command line on its server, and a Centre account does not exist here at all (the console's
/// accounts are the service's, made on its server). Every action is in the panel's audit, under the operator's name.
/// </summary>
internal static class OperatorEndpoints
{
    internal sealed class AccountForm { public string? Name { get; set; } public string? Role { get; set; } }

    public static IEndpointRouteBuilder MapOperatorEndpoints(this IEndpointRouteBuilder app)
    {
        var operators = app.MapGroup("/operators/accounts").RequireAuthorization(Roles.Operator).AsStaffPages();
        operators.MapGet("", (HttpContext http, AccountService accounts, CancellationToken ct) => PageAsync(http, accounts, ct));
        operators.MapPost("/invite", async ([FromForm] AccountForm? form, HttpContext http, AccountService accounts, IOptions<AdminOptions> o, CancellationToken ct) =>
        {
            form ??= new();
            var lang = PageLanguage.Of(http);
            if (string.IsNullOrWhiteSpace(form.Name) || form.Name.Length > 100 || Roles.Parse(form.Role) is not { } role)
                return await PageAsync(http, accounts, ct, error: T.Name.In(lang) + ", " + T.Role.In(lang) + "?");
            if (role != Roles.Organiser) return await PageAsync(http, accounts, ct, error: T.OrganisersOnly.In(lang));
            return await InvitationPageAsync(http, accounts, await accounts.InviteAsync(form.Name, role, Actor(http), ct), o.Value, ct);
        });
        operators.MapPost("/reset", async ([FromForm] AccountForm? form, HttpContext http, AccountService accounts, IOptions<AdminOptions> o, CancellationToken ct) =>
        {
            if (await OrganiserAsync(accounts, form?.Name, ct) is not { } name)
                return await PageAsync(http, accounts, ct, error: T.OrganisersOnly.In(PageLanguage.Of(http)));
            return await InvitationPageAsync(http, accounts, await accounts.ResetSecondFactorAsync(name, Actor(http), ct), o.Value, ct);
        });
        operators.MapPost("/disable", async ([FromForm] AccountForm? form, HttpContext http, AccountService accounts, CancellationToken ct) =>
        {
            if (await OrganiserAsync(accounts, form?.Name, ct) is not { } name)
                return await PageAsync(http, accounts, ct, error: T.OrganisersOnly.In(PageLanguage.Of(http)));
            var error = await accounts.DisableAsync(name, Actor(http), ct);
            return await PageAsync(http, accounts, ct, done: error is null, error: error);
        });
        return app;
    }

    /// <summary>The name of the organiser's account this names (in whatever case), or null when it names no organiser.</summary>
    private static async Task<string?> OrganiserAsync(AccountService accounts, string? name, CancellationToken ct) =>
        string.IsNullOrWhiteSpace(name) ? null
            : (await accounts.AllAsync(ct)).FirstOrDefault(a => a.Role == Roles.Organiser && string.Equals(a.UserName, name.Trim(), StringComparison.OrdinalIgnoreCase))?.UserName;

    private static string Actor(HttpContext http) => http.User.FindFirstValue(ClaimTypes.Name) ?? "unknown";

    /// <summary>The page after an invitation or a reset: its one-time link to hand over, or why there is none.</summary>
    private static Task<RazorComponentResult<OperatorsPage>> InvitationPageAsync(HttpContext http, AccountService accounts,
        (Invitation? Invitation, string? Error) result, AdminOptions options, CancellationToken ct) =>
        result.Invitation is not { } invitation
            ? PageAsync(http, accounts, ct, error: result.Error)
            : PageAsync(http, accounts, ct, invitation: new InvitationShown(invitation.UserName, invitation.Role, $"{invitation.ExpiresAt:yyyy-MM-dd HH:mm} UTC",
                options.PublicBaseUrl.TrimEnd('/') + invitation.EnrolmentPath));

    /// <summary>The accounts, read first; with what the last action did, or why it was refused (400).</summary>
    private static async Task<RazorComponentResult<OperatorsPage>> PageAsync(HttpContext http, AccountService accounts, CancellationToken ct,
        bool done = false, InvitationShown? invitation = null, string? error = null)
    {
        var lang = PageLanguage.Of(http);
        var rows = (await accounts.AllAsync(ct)).Select(a => new AccountRow(a.UserName, a.Role,
            (a.DisabledAt is not null ? T.Disabled : a.Enrolled ? T.EnrolledText : T.Invited).In(lang),
            Changeable: a.DisabledAt is null && a.Role == Roles.Organiser)).ToList();
        return new OperatorsModel(lang, rows, done, invitation, error).Show(error is null ? 200 : 400);
    }
}

/// <summary>The accounts page: every account of the panel, and what the last action did or why it was refused.</summary>
public sealed record OperatorsModel(string Language, IReadOnlyList<AccountRow> Accounts, bool Done, InvitationShown? Invitation, string? Error)
    : IPageModel<OperatorsPage>;

/// <param name="Changeable">An organiser's account still in use: its second factor can be reset, and it can be disabled.</param>
public sealed record AccountRow(string UserName, string Role, string State, bool Changeable);

/// <summary>A one-time enrolment link to hand over, and when it expires.</summary>
public sealed record InvitationShown(string UserName, string Role, string ExpiresAt, string Link);
