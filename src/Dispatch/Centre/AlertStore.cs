using System.Data.Common;
using Alice.Dispatch.Rides;
using Alice.Dispatch.Storage;
using Alice.Dispatch.Totals;
using Alice.Totals;
using Dapper;

namespace Alice.Dispatch.Centre;

/// <summary>Why a person must act on a ride.</summary>
internal enum AlertKind
{
    /// <summary>No partner confirmed in time, or none was left after one gave the booking up.</summary>
    NeedsPerson,
    /// <summary>The partner confirmed, but its driver was not at the pickup point by the ETA and a margin.</summary>
    PickupLate,
    /// <summary>Someone who texted asked for a person ("0", or not understood twice): the centre answers in writing.</summary>
    Written,
}

/// <summary>
/// A written alert is about a text conversation, not (yet) a ride: what it holds in the ride's place names the
/// campus and the conversation, never the sender. The conversation is the texting area's; the centre reaches it
/// only through <see cref="IWrittenReplies"/>.
/// </summary>
internal static class WrittenAlerts
{
    private const string Prefix = "written:";

    public static string Subject(string campusId, string conversationId) => $"{Prefix}{conversationId}:{campusId}";

    /// <summary>The campus and conversation a written alert is about; null for any other alert.</summary>
    public static (string CampusId, string ConversationId)? Parse(string subject) =>
        subject.StartsWith(Prefix, StringComparison.Ordinal) && subject.IndexOf(':', Prefix.Length) is var at and > 0
            ? (subject[(at + 1)..], subject[Prefix.Length..at])
            : null;
}

/// <summary>The centre's written answer, relayed to the sender of a text conversation: the centre never sees the number.</summary>
internal interface IWrittenReplies
{
    /// <summary>False when the conversation is over (its number erased): nothing can be sent.</summary>
    Task<bool> SendAsync(string conversationId, string text, CancellationToken ct);

    /// <summary>Which of these conversations still hold a number, so an answer can reach them (the board offers the form only for those).</summary>
    Task<IReadOnlySet<string>> StillHeldAsync(IReadOnlyList<string> conversationIds, CancellationToken ct);
}

/// <summary>An alert nobody has resolved yet: what the board shows, and where the safety net is with it.</summary>
internal sealed record OpenAlert(
    string Id, string RideId, AlertKind Kind, DateTimeOffset CreatedAt, DateTimeOffset? AcknowledgedAt, string? AcknowledgedBy,
    DateTimeOffset? NotifiedAt, DateTimeOffset? EscalatedAt, int NotifyFailures, DateTimeOffset? NextNotifyAt);

/// <summary>
/// The one door to the alerts table: something a person at the centre must act on. Raised with the ride
/// change that causes it, and counted in the organisers' totals; acknowledged (someone is on it) and
/// resolved (done) from the console.
/// </summary>
internal sealed class AlertStore(Database database, WeeklyTotals totals, TimeProvider clock)
{
    private static readonly Dictionary<AlertKind, string> Kinds = new()
    {
        [AlertKind.NeedsPerson] = "needs_person",
        [AlertKind.PickupLate] = "pickup_late",
        [AlertKind.Written] = "written",
    };

    /// <summary>Raises an alert in the caller's transaction, so it exists exactly when the change that causes it does.</summary>
    public async Task RaiseAsync(DbTransaction tx, Ride ride, AlertKind kind, CancellationToken ct)
    {
        await tx.Connection!.ExecuteAsync(new CommandDefinition(
            "INSERT INTO alerts (id, ride_id, kind, created_at) VALUES (@id, @rideId, @kind, @now);",
            new { id = Guid.NewGuid().ToString(), rideId = ride.Id, kind = Kinds[kind], now = Now }, tx, cancellationToken: ct));
        await totals.CountAsync(tx, ride.CampusId, Measure.AlertsRaised, ct);
    }

    /// <summary>Someone who texted asked for a person: an alert about the conversation (<see cref="WrittenAlerts"/>), counted as any other.</summary>
    public async Task RaiseWrittenAsync(string subject, string campusId, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO alerts (id, ride_id, kind, created_at) VALUES (@id, @subject, @kind, @now);",
            new { id = Guid.NewGuid().ToString(), subject, kind = Kinds[AlertKind.Written], now = Now }, tx, cancellationToken: ct));
        await totals.CountAsync(tx, campusId, Measure.AlertsRaised, ct);
        await tx.CommitAsync(ct);
    }

    /// <summary>Every alert nobody has resolved yet, oldest first.</summary>
    public async Task<IReadOnlyList<OpenAlert>> OpenAlertsAsync(CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var rows = await connection.QueryAsync<AlertRow>(new CommandDefinition(
            """
            SELECT id AS Id, ride_id AS RideId, kind AS Kind, created_at AS CreatedAt, acknowledged_at AS AcknowledgedAt,
                   acknowledged_by AS AcknowledgedBy, notified_at AS NotifiedAt, escalated_at AS EscalatedAt,
                   notify_failures AS NotifyFailures, next_notify_at AS NextNotifyAt
            FROM alerts WHERE resolved_at IS NULL ORDER BY created_at, id;
            """, cancellationToken: ct));
        return rows.Select(r => r.ToAlert()).ToList();
    }

    /// <summary>
    /// Raises an alert of this kind for the ride unless it ever had one (the pickup watchdog looks every few
    /// seconds; one late taxi is one alert). True when this call raised it.
    /// </summary>
    public async Task<bool> RaiseOnceAsync(Ride ride, AlertKind kind, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var raised = await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO alerts (id, ride_id, kind, created_at)
            SELECT @id, @rideId, @kind, @now WHERE NOT EXISTS (SELECT 1 FROM alerts WHERE ride_id = @rideId AND kind = @kind);
            """,
            new { id = Guid.NewGuid().ToString(), rideId = ride.Id, kind = Kinds[kind], now = Now }, tx, cancellationToken: ct)) == 1;
        if (raised) await totals.CountAsync(tx, ride.CampusId, Measure.AlertsRaised, ct);
        await tx.CommitAsync(ct);
        return raised;
    }

    /// <summary>The on-call phone (or, when <paramref name="escalated"/>, the second number) was reached.</summary>
    public Task MarkReachedAsync(string id, bool escalated, CancellationToken ct) =>
        database.ExecuteAsync(
            escalated
                ? "UPDATE alerts SET escalated_at = @now, notify_failures = 0, next_notify_at = NULL WHERE id = @id;"
                : "UPDATE alerts SET notified_at = @now, notify_failures = 0, next_notify_at = NULL WHERE id = @id;",
            new { id, now = Now }, ct);

    /// <summary>Reaching a person failed: counted, and tried again from <paramref name="next"/>.</summary>
    public Task MarkNotifyFailedAsync(string id, DateTimeOffset next, CancellationToken ct) =>
        database.ExecuteAsync(
            "UPDATE alerts SET notify_failures = notify_failures + 1, next_notify_at = @next WHERE id = @id;",
            new { id, next = next.ToUnixTimeSeconds() }, ct);

    /// <summary>Someone is on it: recorded once, by the first who says so. False when the alert is not open or already acknowledged.</summary>
    public async Task<bool> AcknowledgeAsync(DbTransaction tx, string id, string by, CancellationToken ct) =>
        await tx.Connection!.ExecuteAsync(new CommandDefinition(
            "UPDATE alerts SET acknowledged_at = @now, acknowledged_by = @by WHERE id = @id AND resolved_at IS NULL AND acknowledged_at IS NULL;",
            new { id, by, now = Now }, tx, cancellationToken: ct)) == 1;

    /// <summary>Done. An alert resolved without an acknowledgement counts as acknowledged by the same person.</summary>
    public async Task<bool> ResolveAsync(DbTransaction tx, string id, string by, CancellationToken ct) =>
        await ResolveWhereAsync(tx, "id = @key", id, by, ct) == 1;

    /// <summary>The ride is at the centre: whatever was still open about it is resolved by whoever marked the arrival.</summary>
    public Task<int> ResolveForRideAsync(DbTransaction tx, string rideId, string by, CancellationToken ct) =>
        ResolveWhereAsync(tx, "ride_id = @key", rideId, by, ct);

    private Task<int> ResolveWhereAsync(DbTransaction tx, string where, string key, string by, CancellationToken ct) =>
        tx.Connection!.ExecuteAsync(new CommandDefinition(
            $"""
            UPDATE alerts SET resolved_at = @now, resolved_by = @by,
                   acknowledged_at = COALESCE(acknowledged_at, @now), acknowledged_by = COALESCE(acknowledged_by, @by)
            WHERE {where} AND resolved_at IS NULL;
            """,
            new { key, by, now = Now }, tx, cancellationToken: ct));

    private static readonly string[] Times = ["created_at", "resolved_at", "acknowledged_at", "notified_at", "escalated_at", "next_notify_at"];

    /// <summary>The resolved alerts of ended rides keep their times to the hour only, as their rides do.</summary>
    public Task<int> CoarsenEndedAsync(CancellationToken ct) =>
        database.ExecuteAsync(
            $"""
            UPDATE alerts SET {Hours.Coarsen(Times)}
            WHERE resolved_at IS NOT NULL AND ride_id IN (SELECT id FROM rides WHERE ended_at IS NOT NULL) AND {Hours.AnyFiner(Times)};
            """, new { }, ct);

    /// <summary>
    /// Written alerts resolved before <paramref name="before"/>: they belong to no ride, so the rides' retention
    /// never meets them; the texting sweep deletes them as a ride's alerts go with the ride.
    /// </summary>
    public Task<int> DeleteResolvedWrittenAsync(DateTimeOffset before, CancellationToken ct) =>
        database.ExecuteAsync(
            "DELETE FROM alerts WHERE kind = @kind AND resolved_at IS NOT NULL AND resolved_at < @before;",
            new { kind = Kinds[AlertKind.Written], before = before.ToUnixTimeSeconds() }, ct);

    /// <summary>Deletes the alerts of these rides, in the caller's transaction (the retention job deletes the rides with them).</summary>
    public async Task DeleteForRidesAsync(DbTransaction tx, IReadOnlyList<string> rideIds, CancellationToken ct) =>
        await tx.Connection!.ExecuteAsync(new CommandDefinition(
            $"DELETE FROM alerts WHERE {database.InList("ride_id", "rideIds")};", new { rideIds = rideIds.ToArray() }, tx, cancellationToken: ct));

    private long Now => clock.GetUtcNow().ToUnixTimeSeconds();

    private sealed class AlertRow
    {
        public string Id { get; init; } = "";
        public string RideId { get; init; } = "";
        public string Kind { get; init; } = "";
        public long CreatedAt { get; init; }
        public long? AcknowledgedAt { get; init; }
        public string? AcknowledgedBy { get; init; }
        public long? NotifiedAt { get; init; }
        public long? EscalatedAt { get; init; }
        public long NotifyFailures { get; init; }
        public long? NextNotifyAt { get; init; }

        public OpenAlert ToAlert() => new(Id, RideId, Kinds.Single(k => k.Value == Kind).Key, Time(CreatedAt)!.Value, Time(AcknowledgedAt),
            AcknowledgedBy, Time(NotifiedAt), Time(EscalatedAt), (int)NotifyFailures, Time(NextNotifyAt));

        private static DateTimeOffset? Time(long? seconds) => seconds is { } s ? DateTimeOffset.FromUnixTimeSeconds(s) : null;
    }
}
