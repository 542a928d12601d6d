using System.Security.Claims;
using Alice.Accounts;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using static Alice.Accounts.Html;
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
        operators.MapGet("", (HttpContext http, IAntiforgery af, AccountService accounts, CancellationToken ct) => PageAsync(http, af, accounts, null, null, 200, ct));
        operators.MapPost("/invite", async ([FromForm] AccountForm? form, HttpContext http, IAntiforgery af, AccountService accounts, IOptions<AdminOptions> o, CancellationToken ct) =>
        {
            form ??= new();
            var lang = PageLanguage.Of(http);
            if (string.IsNullOrWhiteSpace(form.Name) || form.Name.Length > 100 || Roles.Parse(form.Role) is not { } role)
                return await PageAsync(http, af, accounts, null, T.Name.In(lang) + ", " + T.Role.In(lang) + "?", 400, ct);
            if (role != Roles.Organiser) return await PageAsync(http, af, accounts, null, T.OrganisersOnly.In(lang), 400, ct);
            return await InvitationPageAsync(http, af, accounts, await accounts.InviteAsync(form.Name, role, Actor(http), ct), o.Value, ct);
        });
        operators.MapPost("/reset", async ([FromForm] AccountForm? form, HttpContext http, IAntiforgery af, AccountService accounts, IOptions<AdminOptions> o, CancellationToken ct) =>
        {
            if (await OrganiserAsync(accounts, form?.Name, ct) is not { } name)
                return await PageAsync(http, af, accounts, null, T.OrganisersOnly.In(PageLanguage.Of(http)), 400, ct);
            return await InvitationPageAsync(http, af, accounts, await accounts.ResetSecondFactorAsync(name, Actor(http), ct), o.Value, ct);
        });
        operators.MapPost("/disable", async ([FromForm] AccountForm? form, HttpContext http, IAntiforgery af, AccountService accounts, CancellationToken ct) =>
        {
            var lang = PageLanguage.Of(http);
            if (await OrganiserAsync(accounts, form?.Name, ct) is not { } name) return await PageAsync(http, af, accounts, null, T.OrganisersOnly.In(lang), 400, ct);
            var error = await accounts.DisableAsync(name, Actor(http), ct);
            return await PageAsync(http, af, accounts, error is null ? $"<p class=\"notice\">{E(T.Done.In(lang))}</p>" : null, error, error is null ? 200 : 400, ct);
        });
        return app;
    }

    /// <summary>The name of the organiser's account this names (in whatever case), or null when it names no organiser.</summary>
    private static async Task<string?> OrganiserAsync(AccountService accounts, string? name, CancellationToken ct) =>
        string.IsNullOrWhiteSpace(name) ? null
            : (await accounts.AllAsync(ct)).FirstOrDefault(a => a.Role == Roles.Organiser && string.Equals(a.UserName, name.Trim(), StringComparison.OrdinalIgnoreCase))?.UserName;

    private static string Actor(HttpContext http) => http.User.FindFirstValue(ClaimTypes.Name) ?? "unknown";

    /// <summary>The page after an invitation or a reset: its one-time link to hand over, or why there is none.</summary>
    private static Task<IResult> InvitationPageAsync(HttpContext http, IAntiforgery af, AccountService accounts,
        (Invitation? Invitation, string? Error) result, AdminOptions options, CancellationToken ct)
    {
        if (result.Invitation is not { } invitation) return PageAsync(http, af, accounts, null, result.Error, 400, ct);
        var lang = PageLanguage.Of(http);
        var link = $"<p class=\"notice\">{E(invitation.UserName)} ({E(invitation.Role)}). {E(T.LinkIntro.In(lang))} {invitation.ExpiresAt:yyyy-MM-dd HH:mm} UTC:</p>" +
            $"<p><code class=\"link\">{E(options.PublicBaseUrl.TrimEnd('/') + invitation.EnrolmentPath)}</code></p>";
        return PageAsync(http, af, accounts, link, null, 200, ct);
    }

    private static async Task<IResult> PageAsync(HttpContext http, IAntiforgery af, AccountService accounts, string? result, string? error, int status, CancellationToken ct)
    {
        var lang = PageLanguage.Of(http);
        string Action(string path, string name, Text label) =>
            $"<form method=\"post\" action=\"/operators/accounts/{path}\" class=\"inline\">{Antiforgery(af, http)}<input type=\"hidden\" name=\"name\" value=\"{E(name)}\"><button type=\"submit\" class=\"secondary\">{E(label.In(lang))}</button></form>";
        var rows = string.Concat((await accounts.AllAsync(ct)).Select(a => $"""
            <tr><td>{E(a.UserName)}</td><td>{E(a.Role)}</td>
            <td>{E((a.DisabledAt is not null ? T.Disabled : a.Enrolled ? T.EnrolledText : T.Invited).In(lang))}</td>
            <td>{(a.DisabledAt is null && a.Role == Roles.Organiser ? Action("reset", a.UserName, T.Reset) + " " + Action("disable", a.UserName, T.Disable) : "")}</td></tr>
            """));
        var roles = $"<option>{E(Roles.Organiser)}</option>";
        return Page(lang, T.Title.In(lang), $"""
            <div class="bar"><h1>{E(T.Title.In(lang))}</h1><a href="/totals">{E(T.Totals.In(lang))}</a> {AccountEndpoints.LogoutForm(af, http, lang)}</div>
            {Error(error)}
            {result}
            <form method="post" action="/operators/accounts/invite" class="arrival">
            {Antiforgery(af, http)}
            <label>{E(T.Name.In(lang))}<input name="name" required maxlength="100" autocomplete="off"></label>
            <label>{E(T.Role.In(lang))}<select name="role">{roles}</select></label>
            <button type="submit">{E(T.Invite.In(lang))}</button>
            </form>
            <table class="rides"><thead><tr><th>{E(T.Name.In(lang))}</th><th>{E(T.Role.In(lang))}</th><th>{E(T.State.In(lang))}</th><th></th></tr></thead>
            <tbody>{rows}</tbody></table>
            """, status);
    }
}
