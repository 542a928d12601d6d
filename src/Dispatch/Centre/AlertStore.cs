using System.Data.Common;
using Alice.Dispatch.Storage;
using Dapper;

namespace Alice.Dispatch.Centre;

/// <summary>Why a person must act on a ride.</summary>
internal enum AlertKind
{
    /// <summary>No partner confirmed in time, or none was left after one gave the booking up.</summary>
    NeedsPerson,
}

/// <summary>An alert nobody has resolved yet, as the board shows it.</summary>
internal sealed record OpenAlert(string Id, string RideId, AlertKind Kind, DateTimeOffset CreatedAt, DateTimeOffset? AcknowledgedAt, string? AcknowledgedBy);

/// <summary>
/// The one door to the alerts table: something a person at the centre must act on. Raised with the ride
/// change that causes it; acknowledged (someone is on it) and resolved (done) from the console.
/// </summary>
internal sealed class AlertStore(Database database, TimeProvider clock)
{
    private static readonly Dictionary<AlertKind, string> Kinds = new() { [AlertKind.NeedsPerson] = "needs_person" };

    /// <summary>Raises an alert in the caller's transaction, so it exists exactly when the change that causes it does.</summary>
    public async Task RaiseAsync(DbTransaction tx, string rideId, AlertKind kind, CancellationToken ct) =>
        await tx.Connection!.ExecuteAsync(new CommandDefinition(
            "INSERT INTO alerts (id, ride_id, kind, created_at) VALUES (@id, @rideId, @kind, @now);",
            new { id = Guid.NewGuid().ToString(), rideId, kind = Kinds[kind], now = Now }, tx, cancellationToken: ct));

    /// <summary>The rides with an alert nobody has resolved yet, oldest first.</summary>
    public async Task<IReadOnlyList<string>> OpenAsync(CancellationToken ct) =>
        (await OpenAlertsAsync(ct)).Select(a => a.RideId).ToList();

    /// <summary>Every alert nobody has resolved yet, oldest first.</summary>
    public async Task<IReadOnlyList<OpenAlert>> OpenAlertsAsync(CancellationToken ct)
    {
        await using var connection = await database.Recoverable.OpenConnectionAsync(ct);
        var rows = await connection.QueryAsync<(string Id, string RideId, string Kind, long CreatedAt, long? AcknowledgedAt, string? AcknowledgedBy)>(
            new CommandDefinition(
                "SELECT id, ride_id, kind, created_at, acknowledged_at, acknowledged_by FROM alerts WHERE resolved_at IS NULL ORDER BY created_at, id;",
                cancellationToken: ct));
        return rows.Select(r => new OpenAlert(r.Id, r.RideId, Kinds.Single(k => k.Value == r.Kind).Key,
            DateTimeOffset.FromUnixTimeSeconds(r.CreatedAt), r.AcknowledgedAt is { } at ? DateTimeOffset.FromUnixTimeSeconds(at) : null, r.AcknowledgedBy)).ToList();
    }

    /// <summary>Someone is on it: recorded once, by the first who says so. False when the alert is not open or already acknowledged.</summary>
    public async Task<bool> AcknowledgeAsync(DbTransaction tx, string id, string by, CancellationToken ct) =>
        await tx.Connection!.ExecuteAsync(new CommandDefinition(
            "UPDATE alerts SET acknowledged_at = @now, acknowledged_by = @by WHERE id = @id AND resolved_at IS NULL AND acknowledged_at IS NULL;",
            new { id, by, now = Now }, tx, cancellationToken: ct)) == 1;

    /// <summary>Done. An alert resolved without an acknowledgement counts as acknowledged by the same person.</summary>
    public async Task<bool> ResolveAsync(DbTransaction tx, string id, string by, CancellationToken ct) =>
        await tx.Connection!.ExecuteAsync(new CommandDefinition(
            """
            UPDATE alerts SET resolved_at = @now, resolved_by = @by,
                   acknowledged_at = COALESCE(acknowledged_at, @now), acknowledged_by = COALESCE(acknowledged_by, @by)
            WHERE id = @id AND resolved_at IS NULL;
            """,
            new { id, by, now = Now }, tx, cancellationToken: ct)) == 1;

    /// <summary>The ride is at the centre: whatever was still open about it is resolved by whoever marked the arrival.</summary>
    public async Task<int> ResolveForRideAsync(DbTransaction tx, string rideId, string by, CancellationToken ct) =>
        await tx.Connection!.ExecuteAsync(new CommandDefinition(
            """
            UPDATE alerts SET resolved_at = @now, resolved_by = @by,
                   acknowledged_at = COALESCE(acknowledged_at, @now), acknowledged_by = COALESCE(acknowledged_by, @by)
            WHERE ride_id = @rideId AND resolved_at IS NULL;
            """,
            new { rideId, by, now = Now }, tx, cancellationToken: ct));

    private long Now => clock.GetUtcNow().ToUnixTimeSeconds();
}
