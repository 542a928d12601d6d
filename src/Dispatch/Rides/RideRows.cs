using System.Data.Common;
using Alice.Dispatch.Campuses;
using Dapper;

namespace Alice.Dispatch.Rides;

/// <summary>Rides read from their table: the columns a <see cref="Ride"/> is made of, and the reading.</summary>
internal static class RideRows
{
    public const string Columns =
        "id AS Id, booking_code AS BookingCode, campus AS CampusId, pickup_point AS PickupPointId, " +
        "language AS Language, status AS Status, partner AS Partner, partner_booking_id AS PartnerBookingId, " +
        "eta_minutes AS EtaMinutes, vehicle AS Vehicle, trying_partner AS TryingPartner, partners_asked AS PartnersAsked, " +
        "partner_since AS PartnerSinceSeconds, waiting_since AS WaitingSinceSeconds, hand_over_at AS HandOverAtSeconds, " +
        "key_generation AS KeyGeneration, created_at AS CreatedAtSeconds, ended_at AS EndedAtSeconds, eta_at AS EtaAtSeconds, " +
        "arrived_while AS ArrivedWhile, cancel_owed AS CancelOwed";

    /// <summary>The rides a statement selecting <see cref="Columns"/> returns.</summary>
    public static async Task<IReadOnlyList<Ride>> QueryAsync(DbConnection connection, string sql, object? args, CancellationToken ct, DbTransaction? tx = null) =>
        (await connection.QueryAsync<Row>(new CommandDefinition(sql, args, tx, cancellationToken: ct))).Select(r => r.ToRide()).ToList();

    /// <summary>The row as stored: texts for the typed values, unix seconds for times.</summary>
    private sealed record Row(
        string Id, string BookingCode, string CampusId, string PickupPointId, string Language, string Status,
        string? Partner, string? PartnerBookingId, long? EtaMinutes, string? Vehicle, string? TryingPartner, string PartnersAsked,
        long? PartnerSinceSeconds, long? WaitingSinceSeconds, long HandOverAtSeconds, long KeyGeneration, long CreatedAtSeconds, long? EndedAtSeconds,
        long? EtaAtSeconds, string? ArrivedWhile, long CancelOwed)
    {
        public Ride ToRide() => new(Id, BookingCode, CampusId, PickupPointId, Languages.FromCode(Language), RideLifecycle.Parse(Status),
            Partner, PartnerBookingId, (int?)EtaMinutes, Vehicle, TryingPartner,
            new PartnersAsked(PartnersAsked),
            PartnerSinceSeconds is { } since ? DateTimeOffset.FromUnixTimeSeconds(since) : null,
            DateTimeOffset.FromUnixTimeSeconds(WaitingSinceSeconds ?? CreatedAtSeconds),
            DateTimeOffset.FromUnixTimeSeconds(HandOverAtSeconds), (int)KeyGeneration,
            DateTimeOffset.FromUnixTimeSeconds(CreatedAtSeconds),
            EndedAtSeconds is { } ended ? DateTimeOffset.FromUnixTimeSeconds(ended) : null,
            EtaAtSeconds is { } eta ? DateTimeOffset.FromUnixTimeSeconds(eta) : null,
            ArrivedWhile is { } status ? RideLifecycle.Parse(status) : null, CancelOwed != 0);
    }
}
