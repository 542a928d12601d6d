using Microsoft.AspNetCore.Identity;

namespace Alice.Accounts;

/// <summary>What an invitation gives: the one-time link the new account enrols with, and until when it works.</summary>
public sealed record Invitation(string UserName, string Role, string EnrolmentPath, DateTimeOffset ExpiresAt);

/// <summary>What enrolling gives: the recovery codes, shown once, or why it was refused.</summary>
public sealed record Enrolment(IReadOnlyList<string> RecoveryCodes, IReadOnlyList<string> Errors)
{
    public bool Succeeded => Errors.Count == 0;
}

/// <summary>
/// Accounts come into being only by invitation: there is no default login and no sign-up. The invitation
/// carries a one-time enrolment link (an Identity token bound to the account's security stamp: enrolling
/// changes the stamp, so the link works once) where the person sets a password and scans the
/// authenticator secret. Every change is audited.
/// </summary>
public sealed class AccountService(UserManager<Account> users, AccountStore store, AuditLog audit, TimeProvider clock)
{
    /// <summary>Purpose of the enrolment token; a token for anything else is not accepted here.</summary>
    internal const string EnrolPurpose = "enrol";
    public static readonly TimeSpan EnrolmentLifetime = TimeSpan.FromHours(72);

    /// <summary>The first operator, by the command on the server; refused once an operator exists (they invite the next).</summary>
    public async Task<(Invitation? Invitation, string? Error)> CreateFirstOperatorAsync(string userName, CancellationToken ct)
    {
        if ((await store.AllAsync(ct)).Any(a => a.Role == Roles.Operator && a.DisabledAt is null))
            return (null, "An operator exists already: an operator invites the next one (accounts invite NAME Operator).");
        return await InviteAsync(userName, Roles.Operator, "server command line", ct);
    }

    public async Task<(Invitation? Invitation, string? Error)> InviteAsync(string userName, string role, string actor, CancellationToken ct)
    {
        var (account, token, error) = await CreateInvitedAsync(userName, role, actor, ct);
        return account is null ? (null, error) : (InvitationFor(account, token!), null);
    }

    /// <summary>
    /// For someone who lost their phone: the password, the authenticator secret and the recovery codes go,
    /// every session ends, and a new one-time link enrols the account again (a new password, a new secret).
    /// </summary>
    public async Task<(Invitation? Invitation, string? Error)> ResetSecondFactorAsync(string userName, string actor, CancellationToken ct)
    {
        var account = await users.FindByNameAsync(userName);
        if (account is null || account.DisabledAt is not null) return (null, $"No active account is named {userName}.");
        await users.RemovePasswordAsync(account);
        await users.SetTwoFactorEnabledAsync(account, false);
        await users.GenerateNewTwoFactorRecoveryCodesAsync(account, 0);
        await users.ResetAccessFailedCountAsync(account);
        await users.SetLockoutEndDateAsync(account, null);
        await users.ResetAuthenticatorKeyAsync(account); // a new security stamp too: sessions end, older links die
        var token = await users.GenerateUserTokenAsync(account, TokenOptions.DefaultProvider, EnrolPurpose);
        await audit.WriteAsync(actor, "account.second-factor-reset", account.UserName, ct);
        return (InvitationFor(account, token), null);
    }

    private Invitation InvitationFor(Account account, string token) => new(account.UserName, account.Role,
        $"/account/enrol?id={Uri.EscapeDataString(account.Id)}&token={Uri.EscapeDataString(token)}", clock.GetUtcNow() + EnrolmentLifetime);

    /// <summary>The account, with its authenticator secret and no password yet, and the token of its enrolment link.</summary>
    private async Task<(Account? Account, string? Token, string? Error)> CreateInvitedAsync(string userName, string role, string actor, CancellationToken ct)
    {
        var account = new Account { UserName = userName.Trim(), Role = role, CreatedAt = clock.GetUtcNow() };
        var created = await users.CreateAsync(account);
        if (!created.Succeeded) return (null, null, string.Join(" ", created.Errors.Select(e => e.Description)));
        await users.ResetAuthenticatorKeyAsync(account);
        var token = await users.GenerateUserTokenAsync(account, TokenOptions.DefaultProvider, EnrolPurpose);
        await audit.WriteAsync(actor, "account.invited", $"{account.UserName} ({role})", ct);
        return (account, token, null);
    }

    public Task<IReadOnlyList<Account>> AllAsync(CancellationToken ct) => store.AllAsync(ct);

    /// <summary>Disabled at once: locked out for good, and its sessions end at their next check (within a minute).</summary>
    public async Task<string?> DisableAsync(string userName, string actor, CancellationToken ct)
    {
        var account = await users.FindByNameAsync(userName);
        if (account is null) return $"No account is named {userName}.";
        account.DisabledAt = clock.GetUtcNow();
        await users.SetLockoutEndDateAsync(account, DateTimeOffset.MaxValue);
        await users.UpdateSecurityStampAsync(account);
        await audit.WriteAsync(actor, "account.disabled", account.UserName, ct);
        return null;
    }

    /// <summary>
    /// Development only (the command refuses elsewhere): an enrolled account with a known password, so a
    /// newcomer sees the console or the panel in one step. Its second factor is still required; the development code
    /// command shows the current code. Nothing changes if it exists already.
    /// </summary>
    public async Task<string?> EnsureDevelopmentAccountAsync(string userName, string role, string password, CancellationToken ct)
    {
        if (await users.FindByNameAsync(userName) is not null) return null;
        var (account, token, error) = await CreateInvitedAsync(userName, role, "development set-up", ct);
        if (account is null) return error;
        var secret = (await users.GetAuthenticatorKeyAsync(account))!;
        var enrolment = await EnrolAsync(account.Id, token, password, Totp.Code(secret, clock.GetUtcNow()), ct);
        return enrolment.Succeeded ? null : string.Join(" ", enrolment.Errors);
    }

    /// <summary>Development only: the code the account's authenticator app would show now.</summary>
    public async Task<string?> CurrentCodeAsync(string userName)
    {
        var account = await users.FindByNameAsync(userName);
        return account is null || await users.GetAuthenticatorKeyAsync(account) is not { } secret ? null : Totp.Code(secret, clock.GetUtcNow());
    }

    /// <summary>The account an enrolment link is for, while the link is still good; null otherwise.</summary>
    public async Task<Account?> InvitedAsync(string? id, string? token)
    {
        if (string.IsNullOrEmpty(id) || string.IsNullOrEmpty(token)) return null;
        var account = await users.FindByIdAsync(id);
        if (account is null || account.Enrolled || account.DisabledAt is not null) return null;
        return await users.VerifyUserTokenAsync(account, TokenOptions.DefaultProvider, EnrolPurpose, token) ? account : null;
    }

    /// <summary>The secret the authenticator app is given, as Base32 (what apps expect) and as an otpauth URI for the QR code.</summary>
    public async Task<(string Secret, string Uri)> AuthenticatorAsync(Account account, string issuer)
    {
        var secret = await users.GetAuthenticatorKeyAsync(account) ?? throw new InvalidOperationException("An invited account has an authenticator key.");
        var label = Uri.EscapeDataString($"{issuer}:{account.UserName}");
        return (secret, $"otpauth://totp/{label}?secret={secret}&issuer={Uri.EscapeDataString(issuer)}&digits=6&period=30");
    }

    /// <summary>Sets the password and turns on the second factor, once the app has shown a right code; gives ten recovery codes.</summary>
    public async Task<Enrolment> EnrolAsync(string? id, string? token, string password, string code, CancellationToken ct)
    {
        var account = await InvitedAsync(id, token);
        if (account is null) return new([], ["This enrolment link is not valid any more. Ask an operator for a new one."]);
        if (!await users.VerifyTwoFactorTokenAsync(account, TokenOptions.DefaultAuthenticatorProvider, code.Replace(" ", "")))
            return new([], ["The code from the app is not right. Check the phone's time and try the next code."]);
        var set = await users.AddPasswordAsync(account, password);
        if (!set.Succeeded) return new([], set.Errors.Select(e => e.Description).ToList());
        await users.SetTwoFactorEnabledAsync(account, true);
        var codes = (await users.GenerateNewTwoFactorRecoveryCodesAsync(account, 10))?.ToList() ?? [];
        await audit.WriteAsync(account.UserName, "account.enrolled", account.UserName, ct);
        return new(codes, []);
    }
}
