using Microsoft.Extensions.DependencyInjection;

namespace Alice.Accounts;

/// <summary>
/// <c>accounts create-operator NAME</c>, <c>accounts invite NAME ROLE</c>, <c>accounts reset NAME</c>, <c>accounts disable NAME</c>,
/// <c>accounts list</c>: run on the server, by whoever runs the host. The only way the first account
/// comes to exist: there is no default login. Each host offers only the roles its own accounts may have
/// (the service: Centre, Operator and Partner; the panel: Organiser and Operator): a Centre or Partner account is made on the
/// service's server, never from the panel.
/// </summary>
public static class AccountCommands
{
    private const string Actor = "server command line";

    /// <summary>What the command line says it does, for a host whose accounts may have these roles.</summary>
    public static string Usage(IReadOnlyList<string> roles) => $"""
        usage: accounts create-operator NAME   the first operator (refused once one exists); prints its enrolment link
               accounts invite NAME ROLE       a new account ({string.Join(" or ", roles.Where(r => r != Roles.Partner))}); prints its enrolment link
        {(roles.Contains(Roles.Partner) ? "       accounts invite NAME Partner PARTNER   a taxi partner's dispatcher (a partner working on the page); prints its enrolment link\n" : "")}       accounts reset NAME             a lost phone: password, authenticator and recovery codes go, sessions end; prints a new enrolment link
               accounts disable NAME           locks the account for good; its sessions end within a minute
               accounts list                   every account, its role and state
        Development only: {(roles.Contains(Roles.Centre) ? "accounts development-centre, accounts development-partner PARTNER" : "accounts development-organiser URL")} (the accounts infra/run makes),
                          accounts development-code NAME
        """;

    /// <summary>The development accounts infra/run creates (the console's and the panel's); refused outside Development.</summary>
    public const string DevelopmentUser = "centre";
    public const string DevelopmentPassword = "centre-development-only";
    public const string DevelopmentOrganiser = "organiser";
    public const string DevelopmentOrganiserPassword = "organiser-development-only";
    public const string DevelopmentDispatcher = "dispatch";
    public const string DevelopmentDispatcherPassword = "dispatch-development-only";

    /// <summary>
    /// Runs one command; 0 when it did what it says, 2 for a wrong command, 1 when it was refused.
    /// <paramref name="roles"/>: the roles this host's accounts may have; any other is refused. <paramref name="partnerProblem"/>:
    /// for a host with Partner accounts, what is wrong with a partner name given (null when an account may work for it).
    /// </summary>
    public static async Task<int> RunAsync(IServiceProvider services, IReadOnlyList<string> args, IReadOnlyList<string> roles, string publicBaseUrl,
        bool development, TextWriter output, CancellationToken ct, Func<string, string?>? partnerProblem = null)
    {
        await using var scope = services.CreateAsyncScope();
        var accounts = scope.ServiceProvider.GetRequiredService<AccountService>();
        var asked = args switch
        {
            ["invite", _, var roleText] => Roles.Parse(roleText),
            ["invite", _, var roleText, _] => Roles.Parse(roleText),
            ["development-centre"] => Roles.Centre,
            ["development-organiser", _] => Roles.Organiser,
            ["development-partner", _] => Roles.Partner,
            _ => null,
        };
        if (asked is not null && !roles.Contains(asked))
        {
            output.WriteLine($"This host's accounts are {string.Join(" or ", roles)}, never {asked}.");
            return 1;
        }
        switch (args)
        {
            case ["development-centre" or "development-organiser" or "development-partner" or "development-code", ..] when !development:
                output.WriteLine("Development accounts exist only in the Development environment.");
                return 1;
            case ["development-centre"]:
                var problem = await accounts.EnsureDevelopmentAccountAsync(DevelopmentUser, Roles.Centre, DevelopmentPassword, ct);
                output.WriteLine(problem ?? $"Centre console: {publicBaseUrl.TrimEnd('/')}/centre, user {DevelopmentUser}, password {DevelopmentPassword}; the code: infra/code");
                return problem is null ? 0 : 1;
            case ["development-organiser", var panelUrl]:
                var refused = await accounts.EnsureDevelopmentAccountAsync(DevelopmentOrganiser, Roles.Organiser, DevelopmentOrganiserPassword, ct);
                output.WriteLine(refused ?? $"Organisers' panel: {panelUrl.TrimEnd('/')}/totals, user {DevelopmentOrganiser}, password {DevelopmentOrganiserPassword}; the code: infra/code {DevelopmentOrganiser}");
                return refused is null ? 0 : 1;
            case ["development-partner", var partner]:
                if ((partnerProblem ?? (_ => "This host has no taxi partners."))(partner) is { } notOnPage)
                {
                    output.WriteLine(notOnPage);
                    return 1;
                }
                var failed = await accounts.EnsureDevelopmentAccountAsync(DevelopmentDispatcher, Roles.Partner, DevelopmentDispatcherPassword, ct, partner);
                output.WriteLine(failed ?? $"Partner page ({partner}): {publicBaseUrl.TrimEnd('/')}/partner, user {DevelopmentDispatcher}, password {DevelopmentDispatcherPassword}; the code: infra/code {DevelopmentDispatcher}");
                return failed is null ? 0 : 1;
            case ["development-code", var name]:
                var code = await accounts.CurrentCodeAsync(name);
                output.WriteLine(code ?? $"No account {name} with an authenticator.");
                return code is null ? 1 : 0;
            case ["create-operator", var name]:
                return Print(await accounts.CreateFirstOperatorAsync(name, ct), publicBaseUrl, output);
            case ["invite", _, var roleText] when Roles.Parse(roleText) == Roles.Partner:
                output.WriteLine("A Partner account works for one taxi partner: accounts invite NAME Partner PARTNER.");
                return 2;
            case ["invite", var name, var roleText, var partner] when Roles.Parse(roleText) == Roles.Partner:
                if ((partnerProblem ?? (_ => "This host has no taxi partners."))(partner) is { } wrong)
                {
                    output.WriteLine(wrong);
                    return 1;
                }
                return Print(await accounts.InvitePartnerAsync(name, partner, Actor, ct), publicBaseUrl, output);
            case ["invite", var name, var roleText] when Roles.Parse(roleText) is { } role:
                return Print(await accounts.InviteAsync(name, role, Actor, ct), publicBaseUrl, output);
            case ["reset", var name]:
                return Print(await accounts.ResetSecondFactorAsync(name, Actor, ct), publicBaseUrl, output);
            case ["disable", var name]:
                var error = await accounts.DisableAsync(name, Actor, ct);
                output.WriteLine(error ?? $"{name} is disabled.");
                return error is null ? 0 : 1;
            case ["list"]:
                foreach (var a in await accounts.AllAsync(ct))
                    output.WriteLine($"{a.UserName,-24} {a.Role,-10} {(a.DisabledAt is not null ? "disabled" : a.Enrolled ? "enrolled" : "invited")}");
                return 0;
            default:
                output.WriteLine(Usage(roles));
                return 2;
        }
    }

    private static int Print((Invitation? Invitation, string? Error) result, string publicBaseUrl, TextWriter output)
    {
        if (result.Invitation is not { } invitation)
        {
            output.WriteLine(result.Error);
            return 1;
        }
        output.WriteLine($"{invitation.UserName} ({invitation.Role}) is invited. Give them this link, once, by a safe way;");
        output.WriteLine($"it works until {invitation.ExpiresAt:yyyy-MM-dd HH:mm} UTC and only once:");
        output.WriteLine(publicBaseUrl.TrimEnd('/') + invitation.EnrolmentPath);
        return 0;
    }
}
