using System.Data.Common;
using Alice.Dispatch.Storage;
using Dapper;

namespace Alice.Dispatch.Police;

/// <summary>A police request, and where its delivery to the zone stands.</summary>
internal sealed record PoliceRequest(string Id, string RideId, string BookingCode, string Campus, string RequestedBy,
    DateTimeOffset RequestedAt, DateTimeOffset? DeliveredAt, int Attempts, DateTimeOffset? NextAttemptAt);

/// <summary>The one door to the police_requests table: at most one request a ride.</summary>
internal sealed class PoliceRequests(Database database, TimeProvider clock)
{
    private const string Columns = """
        id AS Id, ride_id AS RideId, booking_code AS BookingCode, campus AS Campus, requested_by AS RequestedBy,
        requested_at AS RequestedAt, delivered_at AS DeliveredAt, attempts AS Attempts, next_attempt_at AS NextAttemptAt
        """;

    /// <summary>Records the request in the caller's transaction (with its audit entry); false when the ride has one already.</summary>
    public async Task<bool> CreateAsync(DbTransaction tx, string rideId, string bookingCode, string campus, string by, CancellationToken ct) =>
        await tx.Connection!.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO police_requests (id, ride_id, booking_code, campus, requested_by, requested_at)
            VALUES (@id, @rideId, @bookingCode, @campus, @by, @now) ON CONFLICT DO NOTHING;
            """,
            new { id = Guid.NewGuid().ToString(), rideId, bookingCode, campus, by, now = clock.GetUtcNow().ToUnixTimeSeconds() }, tx, cancellationToken: ct)) == 1;

    public Task<IReadOnlyList<PoliceRequest>> RecentAsync(int limit, CancellationToken ct) =>
        QueryAsync("ORDER BY requested_at DESC, id LIMIT @limit", new { limit }, ct);

    /// <summary>Not delivered yet, and not pausing after a failure.</summary>
    public Task<IReadOnlyList<PoliceRequest>> DueAsync(CancellationToken ct) =>
        QueryAsync("WHERE delivered_at IS NULL AND (next_attempt_at IS NULL OR next_attempt_at <= @now) ORDER BY requested_at",
            new { now = clock.GetUtcNow().ToUnixTimeSeconds() }, ct);

    public async Task<PoliceRequest?> ForRideAsync(string rideId, CancellationToken ct) =>
        (await QueryAsync("WHERE ride_id = @rideId", new { rideId }, ct)).SingleOrDefault();

    public Task MarkDeliveredAsync(string id, CancellationToken ct) => database.ExecuteAsync(
        "UPDATE police_requests SET delivered_at = @now, attempts = attempts + 1, next_attempt_at = NULL WHERE id = @id AND delivered_at IS NULL;",
        new { id, now = clock.GetUtcNow().ToUnixTimeSeconds() }, ct);

    public Task MarkFailedAsync(string id, DateTimeOffset next, CancellationToken ct) => database.ExecuteAsync(
        "UPDATE police_requests SET attempts = attempts + 1, next_attempt_at = @next WHERE id = @id;",
        new { id, next = next.ToUnixTimeSeconds() }, ct);

    /// <summary>Rides with a request not delivered yet: the retention job keeps them until it is.</summary>
    public async Task<IReadOnlySet<string>> UndeliveredRideIdsAsync(CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return (await connection.QueryAsync<string>(new CommandDefinition(
            "SELECT ride_id FROM police_requests WHERE delivered_at IS NULL;", cancellationToken: ct))).ToHashSet();
    }

    /// <summary>A delivered request keeps its times to the hour only: the zone has its own copy, to the minute.</summary>
    public Task<int> CoarsenDeliveredAsync(CancellationToken ct) => database.ExecuteAsync(
        $"UPDATE police_requests SET {Hours.Coarsen(Times)} WHERE delivered_at IS NOT NULL AND {Hours.AnyFiner(Times)};", new { }, ct);

    /// <summary>Deletes the requests of these rides, in the caller's transaction (the retention job deletes the rides with them).</summary>
    public async Task DeleteForRidesAsync(DbTransaction tx, IReadOnlyList<string> rideIds, CancellationToken ct) =>
        await tx.Connection!.ExecuteAsync(new CommandDefinition(
            $"DELETE FROM police_requests WHERE {database.InList("ride_id", "rideIds")};", new { rideIds = rideIds.ToArray() }, tx, cancellationToken: ct));

    private static readonly string[] Times = ["requested_at", "delivered_at"];

    private async Task<IReadOnlyList<PoliceRequest>> QueryAsync(string tail, object args, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition($"SELECT {Columns} FROM police_requests {tail};", args, cancellationToken: ct));
        return rows.Select(r => new PoliceRequest(r.Id, r.RideId, r.BookingCode, r.Campus, r.RequestedBy, DateTimeOffset.FromUnixTimeSeconds(r.RequestedAt),
            r.DeliveredAt is { } d ? DateTimeOffset.FromUnixTimeSeconds(d) : null, (int)r.Attempts,
            r.NextAttemptAt is { } n ? DateTimeOffset.FromUnixTimeSeconds(n) : null)).ToList();
    }

    /// <summary>The row as stored (a class with setters: Dapper converts each column's type, INTEGER being 32 bits on PostgreSQL).</summary>
    private sealed class Row
    {
        public string Id { get; init; } = "";
        public string RideId { get; init; } = "";
        public string BookingCode { get; init; } = "";
        public string Campus { get; init; } = "";
        public string RequestedBy { get; init; } = "";
        public long RequestedAt { get; init; }
        public long? DeliveredAt { get; init; }
        public long Attempts { get; init; }
        public long? NextAttemptAt { get; init; }
    }
}
