using System.Data.Common;
using Dapper;

namespace Alice.Accounts;

/// <summary>An entry of the audit: who did what, when, to which account, alert or booking reference. Never anything about a caller.</summary>
public sealed record AuditEntry(DateTimeOffset At, string Actor, string Action, string Subject);

/// <summary>
/// The audit of every action a person takes that matters afterwards: accounts invited and disabled, alerts
/// acknowledged and resolved, police requests. Written in the same transaction as the action where there
/// is one, so an action without its entry cannot exist. Operators read it.
/// </summary>
public sealed class AuditLog(AccountsDatabase database, TimeProvider clock)
{
    public async Task WriteAsync(string actor, string action, string subject, CancellationToken ct)
    {
        await using var connection = await database.Source.OpenConnectionAsync(ct);
        await connection.ExecuteAsync(Insert(actor, action, subject, null, ct));
    }

    public Task WriteAsync(DbTransaction tx, string actor, string action, string subject, CancellationToken ct) =>
        tx.Connection!.ExecuteAsync(Insert(actor, action, subject, tx, ct));

    /// <summary>The newest entries first.</summary>
    public async Task<IReadOnlyList<AuditEntry>> ReadAsync(int limit, CancellationToken ct)
    {
        await using var connection = await database.Source.OpenConnectionAsync(ct);
        var rows = await connection.QueryAsync<(long At, string Actor, string Action, string Subject)>(new CommandDefinition(
            "SELECT at, actor, action, subject FROM audit_log ORDER BY at DESC, id DESC LIMIT @limit;", new { limit }, cancellationToken: ct));
        return rows.Select(r => new AuditEntry(DateTimeOffset.FromUnixTimeSeconds(r.At), r.Actor, r.Action, r.Subject)).ToList();
    }

    /// <summary>The newest entries since a time whose action starts with the prefix (e.g. <c>account.</c>), newest first.</summary>
    public async Task<IReadOnlyList<AuditEntry>> ReadAsync(string actionPrefix, DateTimeOffset since, int limit, CancellationToken ct)
    {
        await using var connection = await database.Source.OpenConnectionAsync(ct);
        var rows = await connection.QueryAsync<(long At, string Actor, string Action, string Subject)>(new CommandDefinition(
            "SELECT at, actor, action, subject FROM audit_log WHERE at >= @since AND action LIKE @prefix ORDER BY at DESC, id DESC LIMIT @limit;",
            new { since = since.ToUnixTimeSeconds(), prefix = actionPrefix + "%", limit }, cancellationToken: ct));
        return rows.Select(r => new AuditEntry(DateTimeOffset.FromUnixTimeSeconds(r.At), r.Actor, r.Action, r.Subject)).ToList();
    }

    private CommandDefinition Insert(string actor, string action, string subject, DbTransaction? tx, CancellationToken ct) => new(
        "INSERT INTO audit_log (id, at, actor, action, subject) VALUES (@id, @at, @actor, @action, @subject);",
        new { id = Guid.NewGuid().ToString(), at = clock.GetUtcNow().ToUnixTimeSeconds(), actor, action, subject }, tx, cancellationToken: ct);
}
