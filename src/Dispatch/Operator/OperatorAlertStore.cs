using Alice.Dispatch.Storage;
using Dapper;

namespace Alice.Dispatch.Operator;

/// <summary>
/// The conditions the operator is told about (<c>operator_alerts</c>), one row per condition key, shared by the
/// instances: whichever sees a condition writes it, the row it finds or makes is the one told, and an instance
/// claims a row before e-mailing about it, so two instances send one e-mail.
/// </summary>
internal sealed class OperatorAlertStore(Database database)
{
    /// <summary>Long enough for one SMTP exchange (30 s at most): an instance that dies while sending leaves it to another after this.</summary>
    private const int ClaimSeconds = 120;

    /// <summary>Seen now: a new row if the condition is new (its alert is then due), else the row's last sighting and counts.</summary>
    public Task SeenAsync(string key, string detail, DateTimeOffset now, CancellationToken ct) => database.ExecuteAsync("""
        INSERT INTO operator_alerts (condition_key, detail, started_at, seen_at, next_try_at) VALUES (@key, @detail, @now, @now, @now)
        ON CONFLICT (condition_key) DO UPDATE SET detail = excluded.detail, seen_at = excluded.seen_at;
        """, new { key, detail, now = now.ToUnixTimeSeconds() }, ct);

    /// <summary>
    /// Rows with an e-mail due, each claimed by this instance (another's claim is skipped): the alert of a new
    /// condition, or the end of one told before and seen by nobody since <paramref name="over"/>.
    /// </summary>
    public async Task<IReadOnlyList<OperatorAlert>> ClaimDueAsync(DateTimeOffset now, DateTimeOffset over, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var due = await connection.QueryAsync<OperatorAlert>(new CommandDefinition("""
            SELECT condition_key AS Key, detail AS Detail, started_at AS StartedAt, seen_at AS SeenAt, told_at AS ToldAt, failures AS Failures
            FROM operator_alerts
            WHERE next_try_at <= @now AND (claimed_until IS NULL OR claimed_until < @now) AND (told_at IS NULL OR seen_at < @over)
            ORDER BY started_at;
            """, new { now = now.ToUnixTimeSeconds(), over = over.ToUnixTimeSeconds() }, cancellationToken: ct));
        var claimed = new List<OperatorAlert>();
        foreach (var alert in due)
            if (await connection.ExecuteAsync(new CommandDefinition(
                    "UPDATE operator_alerts SET claimed_until = @until WHERE condition_key = @key AND (claimed_until IS NULL OR claimed_until < @now);",
                    new { key = alert.Key, until = now.ToUnixTimeSeconds() + ClaimSeconds, now = now.ToUnixTimeSeconds() }, cancellationToken: ct)) == 1)
                claimed.Add(alert);
        return claimed;
    }

    /// <summary>The alert went: the condition is now waiting for its end.</summary>
    public Task ToldAsync(OperatorAlert alert, DateTimeOffset now, CancellationToken ct) => database.ExecuteAsync(
        "UPDATE operator_alerts SET told_at = @now, failures = 0, claimed_until = NULL WHERE condition_key = @key;",
        new { key = alert.Key, now = now.ToUnixTimeSeconds() }, ct);

    /// <summary>Its end went: the row goes, unless the condition was seen again meanwhile (then it carries on, told).</summary>
    public Task ResolvedAsync(OperatorAlert alert, CancellationToken ct) => database.ExecuteAsync("""
        DELETE FROM operator_alerts WHERE condition_key = @key AND seen_at = @seenAt;
        UPDATE operator_alerts SET claimed_until = NULL, failures = 0 WHERE condition_key = @key;
        """, new { key = alert.Key, seenAt = alert.SeenAt }, ct);

    /// <summary>The e-mail failed: tried again after the pause, by whichever instance looks then.</summary>
    public Task FailedAsync(OperatorAlert alert, DateTimeOffset next, CancellationToken ct) => database.ExecuteAsync(
        "UPDATE operator_alerts SET failures = failures + 1, next_try_at = @next, claimed_until = NULL WHERE condition_key = @key;",
        new { key = alert.Key, next = next.ToUnixTimeSeconds() }, ct);

    /// <summary>One count from the service's own tables (the conditions any instance sees alike).</summary>
    public async Task<long> CountAsync(string sql, object args, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(sql, args, cancellationToken: ct));
    }
}

/// <summary>One condition's row (properties, not a constructor: the dialects give its counts different integer types).</summary>
internal sealed class OperatorAlert
{
    public string Key { get; init; } = "";
    public string Detail { get; init; } = "";
    public long StartedAt { get; init; }
    public long SeenAt { get; init; }
    public long? ToldAt { get; init; }
    public long Failures { get; init; }
    public bool Told => ToldAt is not null;
}
