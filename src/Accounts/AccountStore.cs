using System.Data.Common;
using Dapper;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;

namespace Alice.Accounts;

/// <summary>Where the accounts live: the host's database (SQLite or PostgreSQL), whose migrations create the tables.</summary>
public sealed record AccountsDatabase(DbDataSource Source);

/// <summary>
/// Identity's store over the <c>accounts</c> table, in SQL both databases speak (integers for times and
/// flags). The authenticator secret is kept encrypted with Data Protection, recovery codes only under a
/// salted slow hash: a copy of the database alone lets nobody produce a second factor.
/// </summary>
public sealed class AccountStore(AccountsDatabase database, IDataProtectionProvider protection) :
    IUserPasswordStore<Account>, IUserSecurityStampStore<Account>, IUserTwoFactorStore<Account>,
    IUserAuthenticatorKeyStore<Account>, IUserTwoFactorRecoveryCodeStore<Account>, IUserLockoutStore<Account>
{
    private const string Columns = """
        id AS Id, user_name AS UserName, normalized_user_name AS NormalizedUserName, role AS Role,
        password_hash AS PasswordHash, security_stamp AS SecurityStamp, concurrency_stamp AS ConcurrencyStamp,
        authenticator_key AS AuthenticatorKey, two_factor_enabled AS TwoFactorEnabled, recovery_codes AS RecoveryCodes,
        lockout_end AS LockoutEnd, access_failed_count AS AccessFailedCount, disabled_at AS DisabledAt, created_at AS CreatedAt
        """;

    private readonly IDataProtector _keys = protection.CreateProtector("Alice.Accounts.AuthenticatorKey");

    public async Task<IdentityResult> CreateAsync(Account user, CancellationToken ct)
    {
        await using var connection = await database.Source.OpenConnectionAsync(ct);
        var inserted = await connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO accounts (id, user_name, normalized_user_name, role, password_hash, security_stamp, concurrency_stamp,
                authenticator_key, two_factor_enabled, recovery_codes, lockout_end, access_failed_count, disabled_at, created_at)
            VALUES (@Id, @UserName, @NormalizedUserName, @Role, @PasswordHash, @SecurityStamp, @ConcurrencyStamp,
                @AuthenticatorKey, @TwoFactorEnabled, @RecoveryCodes, @LockoutEnd, @AccessFailedCount, @DisabledAt, @CreatedAt)
            ON CONFLICT DO NOTHING;
            """, Row.From(user), cancellationToken: ct));
        return inserted == 1 ? IdentityResult.Success : IdentityResult.Failed(new IdentityErrorDescriber().DuplicateUserName(user.UserName));
    }

    public async Task<IdentityResult> UpdateAsync(Account user, CancellationToken ct)
    {
        var previous = user.ConcurrencyStamp;
        user.ConcurrencyStamp = Guid.NewGuid().ToString();
        await using var connection = await database.Source.OpenConnectionAsync(ct);
        var updated = await connection.ExecuteAsync(new CommandDefinition("""
            UPDATE accounts SET user_name = @UserName, normalized_user_name = @NormalizedUserName, role = @Role,
                password_hash = @PasswordHash, security_stamp = @SecurityStamp, concurrency_stamp = @ConcurrencyStamp,
                authenticator_key = @AuthenticatorKey, two_factor_enabled = @TwoFactorEnabled, recovery_codes = @RecoveryCodes,
                lockout_end = @LockoutEnd, access_failed_count = @AccessFailedCount, disabled_at = @DisabledAt
            WHERE id = @Id AND concurrency_stamp = @Previous;
            """, WithPrevious(user, previous), cancellationToken: ct));
        if (updated == 1) return IdentityResult.Success;
        user.ConcurrencyStamp = previous;
        return IdentityResult.Failed(new IdentityErrorDescriber().ConcurrencyFailure());
    }

    /// <summary>Accounts are disabled, never deleted: the audit keeps naming who did what.</summary>
    public Task<IdentityResult> DeleteAsync(Account user, CancellationToken ct) =>
        throw new NotSupportedException("Accounts are disabled, not deleted.");

    public Task<Account?> FindByIdAsync(string userId, CancellationToken ct) => FindAsync("id = @value", userId, ct);

    public Task<Account?> FindByNameAsync(string normalizedUserName, CancellationToken ct) =>
        FindAsync("normalized_user_name = @value", normalizedUserName, ct);

    /// <summary>
    /// Ties a <see cref="Roles.Partner"/> account to its taxi partner, by the partner's configured name. The
    /// column is the service's alone (its V0019): the panel never has a Partner account.
    /// </summary>
    public async Task TiePartnerAsync(string accountId, string partner, CancellationToken ct)
    {
        await using var connection = await database.Source.OpenConnectionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition("UPDATE accounts SET partner = @partner WHERE id = @accountId AND role = @role;",
            new { accountId, partner, role = Roles.Partner }, cancellationToken: ct));
    }

    /// <summary>The taxi partner a <see cref="Roles.Partner"/> account works for; null for any other account, or one tied to none.</summary>
    public async Task<string?> PartnerOfAsync(string accountId, CancellationToken ct)
    {
        await using var connection = await database.Source.OpenConnectionAsync(ct);
        return await connection.ExecuteScalarAsync<string?>(new CommandDefinition(
            "SELECT partner FROM accounts WHERE id = @accountId AND role = @role AND disabled_at IS NULL;",
            new { accountId, role = Roles.Partner }, cancellationToken: ct));
    }

    /// <summary>Every account, for the operator's list.</summary>
    public async Task<IReadOnlyList<Account>> AllAsync(CancellationToken ct)
    {
        await using var connection = await database.Source.OpenConnectionAsync(ct);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition($"SELECT {Columns} FROM accounts ORDER BY user_name;", cancellationToken: ct));
        return rows.Select(r => r.ToAccount()).ToList();
    }

    private async Task<Account?> FindAsync(string where, string value, CancellationToken ct)
    {
        // PostgreSQL refuses a NUL in text (an error, a 500); no stored name or id holds one, so it finds nobody.
        if (value.Contains('\0')) return null;
        await using var connection = await database.Source.OpenConnectionAsync(ct);
        var row = await connection.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(
            $"SELECT {Columns} FROM accounts WHERE {where};", new { value }, cancellationToken: ct));
        return row?.ToAccount();
    }

    public Task<string> GetUserIdAsync(Account user, CancellationToken ct) => Task.FromResult(user.Id);
    public Task<string?> GetUserNameAsync(Account user, CancellationToken ct) => Task.FromResult<string?>(user.UserName);
    public Task SetUserNameAsync(Account user, string? userName, CancellationToken ct) => Set(() => user.UserName = userName ?? "");
    public Task<string?> GetNormalizedUserNameAsync(Account user, CancellationToken ct) => Task.FromResult<string?>(user.NormalizedUserName);
    public Task SetNormalizedUserNameAsync(Account user, string? normalizedName, CancellationToken ct) => Set(() => user.NormalizedUserName = normalizedName ?? "");

    public Task SetPasswordHashAsync(Account user, string? passwordHash, CancellationToken ct) => Set(() => user.PasswordHash = passwordHash);
    public Task<string?> GetPasswordHashAsync(Account user, CancellationToken ct) => Task.FromResult(user.PasswordHash);
    public Task<bool> HasPasswordAsync(Account user, CancellationToken ct) => Task.FromResult(user.PasswordHash is not null);

    public Task SetSecurityStampAsync(Account user, string stamp, CancellationToken ct) => Set(() => user.SecurityStamp = stamp);
    public Task<string?> GetSecurityStampAsync(Account user, CancellationToken ct) => Task.FromResult<string?>(user.SecurityStamp);

    public Task SetTwoFactorEnabledAsync(Account user, bool enabled, CancellationToken ct) => Set(() => user.TwoFactorEnabled = enabled);
    public Task<bool> GetTwoFactorEnabledAsync(Account user, CancellationToken ct) => Task.FromResult(user.TwoFactorEnabled);

    public Task SetAuthenticatorKeyAsync(Account user, string key, CancellationToken ct) => Set(() => user.AuthenticatorKey = _keys.Protect(key));
    public Task<string?> GetAuthenticatorKeyAsync(Account user, CancellationToken ct) =>
        Task.FromResult(user.AuthenticatorKey is { } protectedKey ? _keys.Unprotect(protectedKey) : null);

    public Task ReplaceCodesAsync(Account user, IEnumerable<string> recoveryCodes, CancellationToken ct) =>
        Set(() => user.RecoveryCodes = string.Join(';', recoveryCodes.Select(RecoveryCodeHash.Of)));

    public Task<bool> RedeemCodeAsync(Account user, string code, CancellationToken ct)
    {
        var hashes = user.RecoveryCodes.Split(';', StringSplitOptions.RemoveEmptyEntries).ToList();
        // Every stored code is tried, whether one matched already or not: the time taken says nothing of which one it was.
        var matched = hashes.Where(h => RecoveryCodeHash.Matches(h, code)).ToList();
        if (matched.Count == 0) return Task.FromResult(false);
        hashes.Remove(matched[0]);
        user.RecoveryCodes = string.Join(';', hashes);
        return Task.FromResult(true);
    }

    /// <summary>
    /// Takes an authenticator step for the account: true if it is later than the last one taken, which it
    /// then becomes. One conditional UPDATE, so of two sessions with the same code only one gets the row.
    /// </summary>
    public async Task<bool> ClaimAuthenticatorStepAsync(Account user, long step, CancellationToken ct)
    {
        await using var connection = await database.Source.OpenConnectionAsync(ct);
        return await connection.ExecuteAsync(new CommandDefinition("""
            UPDATE accounts SET authenticator_last_step = @step
            WHERE id = @id AND (authenticator_last_step IS NULL OR authenticator_last_step < @step);
            """, new { id = user.Id, step }, cancellationToken: ct)) == 1;
    }

    /// <summary>The last authenticator step a login took, if any.</summary>
    public async Task<long?> LastAuthenticatorStepAsync(Account user, CancellationToken ct)
    {
        await using var connection = await database.Source.OpenConnectionAsync(ct);
        return await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
            "SELECT authenticator_last_step FROM accounts WHERE id = @id;", new { id = user.Id }, cancellationToken: ct));
    }

    /// <summary>
    /// A new authenticator secret for an account still enrolling (each visit of its enrolment page makes one):
    /// written at once, without touching the security stamp the enrolment link is bound to. False if the
    /// account has enrolled or been disabled meanwhile.
    /// </summary>
    public async Task<bool> ReplaceAuthenticatorKeyAsync(Account user, string key, CancellationToken ct)
    {
        var protectedKey = _keys.Protect(key);
        await using var connection = await database.Source.OpenConnectionAsync(ct);
        var replaced = await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE accounts SET authenticator_key = @protectedKey WHERE id = @id AND two_factor_enabled = 0 AND disabled_at IS NULL;",
            new { id = user.Id, protectedKey }, cancellationToken: ct)) == 1;
        if (replaced) user.AuthenticatorKey = protectedKey;
        return replaced;
    }

    public Task<int> CountCodesAsync(Account user, CancellationToken ct) =>
        Task.FromResult(user.RecoveryCodes.Split(';', StringSplitOptions.RemoveEmptyEntries).Length);

    public Task<DateTimeOffset?> GetLockoutEndDateAsync(Account user, CancellationToken ct) => Task.FromResult(user.LockoutEnd);
    public Task SetLockoutEndDateAsync(Account user, DateTimeOffset? lockoutEnd, CancellationToken ct) => Set(() => user.LockoutEnd = lockoutEnd);
    public Task<int> IncrementAccessFailedCountAsync(Account user, CancellationToken ct) => Task.FromResult(++user.AccessFailedCount);
    public Task ResetAccessFailedCountAsync(Account user, CancellationToken ct) => Set(() => user.AccessFailedCount = 0);
    public Task<int> GetAccessFailedCountAsync(Account user, CancellationToken ct) => Task.FromResult(user.AccessFailedCount);
    /// <summary>Every account can be locked out: repeated failures always cost time.</summary>
    public Task<bool> GetLockoutEnabledAsync(Account user, CancellationToken ct) => Task.FromResult(true);
    public Task SetLockoutEnabledAsync(Account user, bool enabled, CancellationToken ct) => Task.CompletedTask;

    public void Dispose() { }

    private static Task Set(Action change)
    {
        change();
        return Task.CompletedTask;
    }

    /// <summary>The row, and the concurrency stamp it must still have in the database for the update to apply.</summary>
    private static DynamicParameters WithPrevious(Account user, string previous)
    {
        var parameters = new DynamicParameters(Row.From(user));
        parameters.Add("Previous", previous);
        return parameters;
    }

    /// <summary>The row as the database holds it: times in unix seconds, flags as 0/1.</summary>
    private sealed class Row
    {
        public string Id { get; init; } = "";
        public string UserName { get; init; } = "";
        public string NormalizedUserName { get; init; } = "";
        public string Role { get; init; } = "";
        public string? PasswordHash { get; init; }
        public string SecurityStamp { get; init; } = "";
        public string ConcurrencyStamp { get; init; } = "";
        public string? AuthenticatorKey { get; init; }
        public long TwoFactorEnabled { get; init; }
        public string RecoveryCodes { get; init; } = "";
        public long? LockoutEnd { get; init; }
        public long AccessFailedCount { get; init; }
        public long? DisabledAt { get; init; }
        public long CreatedAt { get; init; }

        public static Row From(Account a) => new()
        {
            Id = a.Id, UserName = a.UserName, NormalizedUserName = a.NormalizedUserName, Role = a.Role,
            PasswordHash = a.PasswordHash, SecurityStamp = a.SecurityStamp, ConcurrencyStamp = a.ConcurrencyStamp,
            AuthenticatorKey = a.AuthenticatorKey, TwoFactorEnabled = a.TwoFactorEnabled ? 1 : 0, RecoveryCodes = a.RecoveryCodes,
            LockoutEnd = a.LockoutEnd?.ToUnixTimeSeconds(), AccessFailedCount = a.AccessFailedCount,
            DisabledAt = a.DisabledAt?.ToUnixTimeSeconds(), CreatedAt = a.CreatedAt.ToUnixTimeSeconds(),
        };

        public Account ToAccount() => new()
        {
            Id = Id, UserName = UserName, NormalizedUserName = NormalizedUserName, Role = Role,
            PasswordHash = PasswordHash, SecurityStamp = SecurityStamp, ConcurrencyStamp = ConcurrencyStamp,
            AuthenticatorKey = AuthenticatorKey, TwoFactorEnabled = TwoFactorEnabled != 0, RecoveryCodes = RecoveryCodes,
            LockoutEnd = LockoutEnd is { } end ? DateTimeOffset.FromUnixTimeSeconds(end) : null, AccessFailedCount = (int)AccessFailedCount,
            DisabledAt = DisabledAt is { } at ? DateTimeOffset.FromUnixTimeSeconds(at) : null, CreatedAt = DateTimeOffset.FromUnixTimeSeconds(CreatedAt),
        };
    }
}
