using System.Security.Cryptography;
using Alice.Signatures;
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
/// authenticator secret, made fresh each time the page is shown. Every change is one write (whole or not at
/// all), audited, and announced (<see cref="IAccountChanges"/>).
/// </summary>
public sealed class AccountService(UserManager<Account> users, AccountStore store, AuditLog audit, TimeProvider clock, IAccountChanges changes)
{
    /// <summary>Purpose of the enrolment token; a token for anything else is not accepted here.</summary>
    internal const string EnrolPurpose = "enrol";
    public static readonly TimeSpan EnrolmentLifetime = TimeSpan.FromHours(72);
    private const string CommandLine = "server command line";

    /// <summary>The characters of a recovery code: no 0/O, 1/I/L (Identity's own choice, from Windows product keys).</summary>
    private const string RecoveryAlphabet = "23456789BCDFGHJKMNPQRTVWXY";

    /// <summary>The first operator, by the command on the server; refused once an operator exists (they invite the next).</summary>
    public async Task<(Invitation? Invitation, string? Error)> CreateFirstOperatorAsync(string userName, CancellationToken ct)
    {
        if ((await store.AllAsync(ct)).Any(a => a.Role == Roles.Operator && a.DisabledAt is null))
            return (null, "An operator exists already: an operator invites the next one (accounts invite NAME Operator).");
        return await InviteAsync(userName, Roles.Operator, CommandLine, ct);
    }

    public async Task<(Invitation? Invitation, string? Error)> InviteAsync(string userName, string role, string actor, CancellationToken ct)
    {
        var (account, token, error) = await CreateInvitedAsync(userName, role, actor, ct);
        if (account is null) return (null, error);
        await AnnounceAsync(account, AccountChange.Invited, actor, ct);
        return (InvitationFor(account, token!), null);
    }

    /// <summary>A taxi partner's dispatcher, tied to that partner (the host checked it may have such accounts) before the link is given.</summary>
    public async Task<(Invitation? Invitation, string? Error)> InvitePartnerAsync(string userName, string partner, string actor, CancellationToken ct)
    {
        var (account, token, error) = await CreateInvitedAsync(userName, Roles.Partner, actor, ct);
        if (account is null) return (null, error);
        await store.TiePartnerAsync(account.Id, partner, ct);
        await AnnounceAsync(account, AccountChange.Invited, actor, ct);
        return (InvitationFor(account, token!), null);
    }

    /// <summary>The taxi partner a Partner account works for (null for any other account).</summary>
    public Task<string?> PartnerOfAsync(string accountId, CancellationToken ct) => store.PartnerOfAsync(accountId, ct);

    /// <summary>
    /// For someone who lost their phone: the password, the authenticator secret and the recovery codes go,
    /// every session ends, and a new one-time link enrols the account again (a new password, a new secret).
    /// One write: the account is reset entirely or not at all.
    /// </summary>
    public async Task<(Invitation? Invitation, string? Error)> ResetSecondFactorAsync(string userName, string actor, CancellationToken ct)
    {
        var account = await users.FindByNameAsync(userName);
        if (account is null || account.DisabledAt is not null) return (null, $"No active account is named {userName}.");
        account.PasswordHash = null;
        account.TwoFactorEnabled = false;
        account.AuthenticatorKey = null; // a new one is made when the enrolment page is shown
        account.RecoveryCodes = "";
        account.AccessFailedCount = 0;
        account.LockoutEnd = null;
        account.SecurityStamp = NewStamp(); // sessions end, older links die
        var reset = await users.UpdateAsync(account);
        if (!reset.Succeeded) return (null, Describe(reset));
        var token = await users.GenerateUserTokenAsync(account, TokenOptions.DefaultProvider, EnrolPurpose);
        await audit.WriteAsync(actor, AuditAction.AccountSecondFactorReset, Subject(account), ct);
        await AnnounceAsync(account, AccountChange.SecondFactorReset, actor, ct);
        return (InvitationFor(account, token), null);
    }

    private Invitation InvitationFor(Account account, string token) => new(account.UserName, account.Role,
        $"/account/enrol?id={Uri.EscapeDataString(account.Id)}&token={Uri.EscapeDataString(token)}", clock.GetUtcNow() + EnrolmentLifetime);

    /// <summary>The account, with no password and no authenticator secret yet, and the token of its enrolment link.</summary>
    private async Task<(Account? Account, string? Token, string? Error)> CreateInvitedAsync(string userName, string role, string actor, CancellationToken ct)
    {
        var account = new Account { UserName = userName.Trim(), Role = role, CreatedAt = clock.GetUtcNow() };
        var created = await users.CreateAsync(account);
        if (!created.Succeeded) return (null, null, Describe(created));
        var token = await users.GenerateUserTokenAsync(account, TokenOptions.DefaultProvider, EnrolPurpose);
        await audit.WriteAsync(actor, AuditAction.AccountInvited, Subject(account), ct);
        return (account, token, null);
    }

    public Task<IReadOnlyList<Account>> AllAsync(CancellationToken ct) => store.AllAsync(ct);

    /// <summary>Disabled at once: locked out for good, and its sessions end at their next check (within a minute).</summary>
    public async Task<string?> DisableAsync(string userName, string actor, CancellationToken ct)
    {
        var account = await users.FindByNameAsync(userName);
        if (account is null) return $"No account is named {userName}.";
        account.DisabledAt = clock.GetUtcNow();
        account.LockoutEnd = DateTimeOffset.MaxValue;
        account.SecurityStamp = NewStamp();
        var disabled = await users.UpdateAsync(account);
        if (!disabled.Succeeded) return Describe(disabled);
        await audit.WriteAsync(actor, AuditAction.AccountDisabled, Subject(account), ct);
        await AnnounceAsync(account, AccountChange.Disabled, actor, ct);
        return null;
    }

    /// <summary>
    /// Development only (the command refuses elsewhere): an enrolled account with a known password, so a
    /// newcomer sees the console or the panel in one step. Its second factor is still required; the development code
    /// command shows the current code. Nothing changes if it exists already.
    /// </summary>
    public async Task<string?> EnsureDevelopmentAccountAsync(string userName, string role, string password, CancellationToken ct, string? partner = null)
    {
        if (await users.FindByNameAsync(userName) is not null) return null;
        var (account, token, error) = await CreateInvitedAsync(userName, role, "development set-up", ct);
        if (account is null) return error;
        if (partner is not null) await store.TiePartnerAsync(account.Id, partner, ct);
        await AnnounceAsync(account, AccountChange.Invited, "development set-up", ct);
        var (secret, _) = await FreshAuthenticatorAsync(account, "Alice", ct) ?? throw new InvalidOperationException("A new account has no secret to replace.");
        var enrolment = await EnrolAsync(account.Id, token, password, Totp.Code(secret, clock.GetUtcNow()), ct);
        return enrolment.Succeeded ? null : string.Join(" ", enrolment.Errors);
    }

    /// <summary>
    /// Development only: a code the account's authenticator app shows now or next that has not been used yet
    /// (each code logs in once); if both were used, waits for the next step, as the person with the app would.
    /// </summary>
    public async Task<string?> CurrentCodeAsync(string userName, CancellationToken ct = default)
    {
        var account = await users.FindByNameAsync(userName);
        if (account is null || await users.GetAuthenticatorKeyAsync(account) is not { } secret) return null;
        var last = await store.LastAuthenticatorStepAsync(account, ct) ?? long.MinValue;
        var now = Totp.Step(clock.GetUtcNow());
        var step = Math.Max(now, last == long.MinValue ? now : last + 1);
        if (step > now + AuthenticatorCodes.Window)
        {
            var wait = DateTimeOffset.FromUnixTimeSeconds((step - AuthenticatorCodes.Window) * 30) - clock.GetUtcNow();
            if (wait > TimeSpan.Zero) await Task.Delay(wait, clock, ct);
        }
        return Totp.CodeAt(secret, step);
    }

    /// <summary>The account an enrolment link is for, while the link is still good; null otherwise.</summary>
    public async Task<Account?> InvitedAsync(string? id, string? token)
    {
        if (string.IsNullOrEmpty(id) || string.IsNullOrEmpty(token)) return null;
        var account = await users.FindByIdAsync(id);
        if (account is null || account.Enrolled || account.DisabledAt is not null) return null;
        return await users.VerifyUserTokenAsync(account, TokenOptions.DefaultProvider, EnrolPurpose, token) ? account : null;
    }

    /// <summary>
    /// A new authenticator secret for an account being enrolled, made each time its enrolment page is shown
    /// and shown only then: whoever saw the page before (or holds the link) has a secret that no longer works.
    /// As Base32 (what apps expect) and as an otpauth URI for the QR code; null if the account enrolled meanwhile.
    /// </summary>
    public async Task<(string Secret, string Uri)?> FreshAuthenticatorAsync(Account account, string issuer, CancellationToken ct)
    {
        var secret = users.GenerateNewAuthenticatorKey();
        if (!await store.ReplaceAuthenticatorKeyAsync(account, secret, ct)) return null;
        var label = Uri.EscapeDataString($"{issuer}:{account.UserName}");
        return (secret, $"otpauth://totp/{label}?secret={secret}&issuer={Uri.EscapeDataString(issuer)}&digits=6&period=30");
    }

    /// <summary>
    /// Sets the password and turns on the second factor, once the app has shown a right code; gives ten
    /// recovery codes. One write: the account is enrolled whole, or stays invited with its link still working.
    /// </summary>
    public async Task<Enrolment> EnrolAsync(string? id, string? token, string password, string code, CancellationToken ct)
    {
        var account = await InvitedAsync(id, token);
        if (account is null) return new([], ["This enrolment link is not valid any more. Ask an operator for a new one."]);
        if (await users.GetAuthenticatorKeyAsync(account) is not { } secret || AuthenticatorCodes.MatchingStep(secret, code, clock.GetUtcNow()) is null)
            return new([], ["The code from the app is not right. Check the phone's time and try the next code. If the page was opened again elsewhere, open the link again and scan the new key."]);
        var problems = new List<string>();
        foreach (var validator in users.PasswordValidators)
            if (await validator.ValidateAsync(users, account, password) is { Succeeded: false } refused) problems.AddRange(refused.Errors.Select(e => e.Description));
        if (problems.Count > 0) return new([], problems);

        var recoveryCodes = Enumerable.Range(0, 10).Select(_ => RandomNumberGenerator.GetString(RecoveryAlphabet, 10).Insert(5, "-")).ToList();
        account.PasswordHash = users.PasswordHasher.HashPassword(account, password);
        account.TwoFactorEnabled = true;
        await store.ReplaceCodesAsync(account, recoveryCodes, ct);
        account.SecurityStamp = NewStamp(); // the link dies with the old stamp
        var enrolled = await users.UpdateAsync(account);
        if (!enrolled.Succeeded) return new([], [Describe(enrolled)]);
        await audit.WriteAsync(account.UserName, AuditAction.AccountEnrolled, Subject(account), ct);
        await AnnounceAsync(account, AccountChange.Enrolled, account.UserName, ct);
        return new(recoveryCodes, []);
    }

    private Task AnnounceAsync(Account account, string what, string actor, CancellationToken ct) =>
        changes.AnnounceAsync(new AccountChange(account.UserName, account.Role, what, actor, clock.GetUtcNow()), ct);

    /// <summary>How the audit names an account: its name and role, so the centre's list says whose console it opens.</summary>
    private static string Subject(Account account) => $"{account.UserName} ({account.Role})";

    private static string NewStamp() => Convert.ToHexString(RandomNumberGenerator.GetBytes(20));

    private static string Describe(IdentityResult result) => string.Join(" ", result.Errors.Select(e => e.Description));
}
