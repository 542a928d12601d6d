using System.Xml.Linq;
using Dapper;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Alice.Accounts;

/// <summary>
/// What Development leaves in a database that must never serve in Production: keys of the Data Protection
/// ring stored unencrypted (Development runs without a key-encryption key, so whoever copies the database
/// reads them, and with them every cookie and secret they protect), and the development accounts, whose
/// passwords are in the repository (<see cref="AccountCommands"/>). Outside Development each host (the
/// service, the panel: the tables are the accounts library's in both stores) refuses to start while either
/// is there, and its <c>remove-development-leftovers</c> command removes them.
/// </summary>
public sealed class DevelopmentLeftovers(AccountsDatabase database, IPasswordHasher<Account> hasher, AuditLog audit, DevelopmentLeftovers.HostCommand host)
{
    /// <summary>The host's own command that removes them, as an operator types it (the service's, or the panel's).</summary>
    public sealed record HostCommand(string Text);

    /// <summary>Who the audit says invited the development accounts (AccountService.EnsureDevelopmentAccountAsync).</summary>
    private const string DevelopmentSetUp = "development set-up";

    private static readonly string[] DevelopmentPasswords =
        [AccountCommands.DevelopmentPassword, AccountCommands.DevelopmentOrganiserPassword, AccountCommands.DevelopmentDispatcherPassword];
    private static readonly HashSet<string> DevelopmentNames =
        new([AccountCommands.DevelopmentUser, AccountCommands.DevelopmentOrganiser, AccountCommands.DevelopmentDispatcher], StringComparer.OrdinalIgnoreCase);

    /// <summary>The names of the unencrypted keys, and the development accounts (id and name).</summary>
    public sealed record Found(IReadOnlyList<string> UnencryptedKeys, IReadOnlyList<(string Id, string Name)> Accounts)
    {
        public bool Any => UnencryptedKeys.Count > 0 || Accounts.Count > 0;
    }

    public async Task<Found> FindAsync(CancellationToken ct)
    {
        await using var connection = await database.Source.OpenConnectionAsync(ct);
        var keys = (await connection.QueryAsync<(string Name, string Xml)>(new CommandDefinition("SELECT name, xml FROM data_protection_keys;", cancellationToken: ct)))
            .Where(k => !IsEncrypted(k.Xml)).Select(k => k.Name).Order().ToList();
        // Both tests, so that neither alone can be dodged: the set-up's own audit entry (an account made by it
        // whose password was changed since still has a secret made on a development machine), and the
        // development passwords themselves (a development account whose audit entry is gone).
        var setUp = (await connection.QueryAsync<string>(new CommandDefinition(
                "SELECT subject FROM audit_log WHERE actor = @actor AND action = @invited;", new { actor = DevelopmentSetUp, invited = AuditAction.AccountInvited.Name() }, cancellationToken: ct)))
            .Select(subject => subject.Split(" (")[0]).ToHashSet();
        var accounts = await connection.QueryAsync<(string Id, string Name, string? PasswordHash)>(new CommandDefinition(
            "SELECT id, user_name, password_hash FROM accounts ORDER BY user_name;", cancellationToken: ct));
        // The passwords are checked on the development names only: a check is a slow hash, and on every account it
        // would add seconds to every start of a service with a few dozen staff.
        var development = accounts.Where(a => setUp.Contains(a.Name) || (DevelopmentNames.Contains(a.Name) && HasDevelopmentPassword(a.PasswordHash)))
            .Select(a => (a.Id, a.Name)).ToList();
        return new Found(keys, development);
    }

    /// <summary>Deletes them, in one transaction, each account's removal in the audit. Returns what was removed.</summary>
    public async Task<Found> RemoveAsync(CancellationToken ct)
    {
        var found = await FindAsync(ct);
        if (!found.Any) return found;
        await using var connection = await database.Source.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        foreach (var name in found.UnencryptedKeys)
            await connection.ExecuteAsync(new CommandDefinition("DELETE FROM data_protection_keys WHERE name = @name;", new { name }, tx, cancellationToken: ct));
        foreach (var (id, name) in found.Accounts)
        {
            // Deleted, not disabled as other accounts are: its name and password are public, and it was never anyone's.
            await connection.ExecuteAsync(new CommandDefinition("DELETE FROM accounts WHERE id = @id;", new { id }, tx, cancellationToken: ct));
            await audit.WriteAsync(tx, "remove-development-leftovers", AuditAction.AccountRemoved, name, ct);
        }
        await tx.CommitAsync(ct);
        return found;
    }

    /// <summary>The ring's encryptor writes an <c>encryptedKey</c> element; a key without one holds its secret in plain text.</summary>
    private static bool IsEncrypted(string xml) => XElement.Parse(xml).Descendants().Any(e => e.Name.LocalName == "encryptedKey");

    private bool HasDevelopmentPassword(string? hash) => hash is not null && DevelopmentPasswords.Any(password => Verifies(hash, password));

    private bool Verifies(string hash, string password)
    {
        try { return hasher.VerifyHashedPassword(new Account(), hash, password) != PasswordVerificationResult.Failed; }
        catch (FormatException) { return false; } // not a hash Identity wrote: no password opens it
    }

    /// <summary>Why the host must not start on this database, or null.</summary>
    public string? Refusal(Found found)
    {
        if (!found.Any) return null;
        var what = new List<string>();
        if (found.UnencryptedKeys.Count > 0)
            what.Add($"{found.UnencryptedKeys.Count} key(s) of the Data Protection ring stored unencrypted (made without DataProtection:KeyEncryptionKey)");
        if (found.Accounts.Count > 0)
            what.Add($"the development account(s) {string.Join(", ", found.Accounts.Select(a => a.Name))}, whose passwords are in the repository");
        return $"This database holds what Development left: {string.Join("; and ", what)}. " +
               $"Run `{host.Text}` with the same settings to remove them (it says what that invalidates), then start again.";
    }

    /// <summary>The command: removes them and says what that means. 0 when the database is clean afterwards.</summary>
    public static async Task<int> RunAsync(IServiceProvider services, TextWriter output, CancellationToken ct)
    {
        await using var scope = services.CreateAsyncScope(); // Identity's password hasher is scoped
        var removed = await scope.ServiceProvider.GetRequiredService<DevelopmentLeftovers>().RemoveAsync(ct);
        if (!removed.Any)
        {
            output.WriteLine("Nothing Development left was found: no unencrypted key in the ring, no development account.");
            return 0;
        }
        if (removed.UnencryptedKeys.Count > 0)
            output.WriteLine(
                $"Removed {removed.UnencryptedKeys.Count} unencrypted key(s) of the Data Protection ring. What they protected can no longer be read: " +
                "staff sessions and open forms (log in again), authenticator secrets stored under them (those accounts' second factor must be reset), " +
                "and any value the host stored encrypted under them (the service's text-message consents and Twilio records: dropped, as unreadable). " +
                "A new key, encrypted under DataProtection:KeyEncryptionKey, is made at the next start.");
        if (removed.Accounts.Count > 0)
            output.WriteLine($"Removed the development account(s) {string.Join(", ", removed.Accounts.Select(a => a.Name))}: " +
                             "their sessions end; invite real staff with `accounts invite` (the audit records the removal).");
        return 0;
    }

    /// <summary>Outside Development, after the store is ready and before the server listens: no start on development leftovers.</summary>
    public sealed class RefusedOutsideDevelopment(IServiceProvider services) : IHostedService
    {
        public async Task StartAsync(CancellationToken ct)
        {
            await using var scope = services.CreateAsyncScope(); // Identity's password hasher is scoped
            var leftovers = scope.ServiceProvider.GetRequiredService<DevelopmentLeftovers>();
            if (leftovers.Refusal(await leftovers.FindAsync(ct)) is { } refusal)
                throw new InvalidOperationException(refusal);
        }

        public Task StopAsync(CancellationToken ct) => Task.CompletedTask;
    }
}

public static class DevelopmentLeftoversExtensions
{
    /// <summary>
    /// The check and its command for a host: <paramref name="command"/> is how the host's own command line
    /// removes them; outside Development the start is refused while they are there (register it after the
    /// host's store is made ready, so it runs after that).
    /// </summary>
    public static IServiceCollection AddDevelopmentLeftoversCheck(this IServiceCollection services, string command, bool development)
    {
        services.AddSingleton(new DevelopmentLeftovers.HostCommand(command));
        services.AddScoped<DevelopmentLeftovers>();
        if (!development) services.AddHostedService<DevelopmentLeftovers.RefusedOutsideDevelopment>();
        return services;
    }
}
