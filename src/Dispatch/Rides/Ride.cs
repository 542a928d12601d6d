namespace Alice.Dispatch.Rides;

/// <summary>Where a ride stands. Stored as text; later states never move back to earlier ones.</summary>
internal static class RideStatus
{
    /// <summary>Written before the caller hears the code; the booking job has not reached a partner yet.</summary>
    public const string Requested = "requested";
    /// <summary>A partner took the booking (answered 201/200 with its booking id).</summary>
    public const string Booked = "booked";
}

/// <summary>A ride to the centre. Deliberately holds nothing about the caller.</summary>
internal sealed record Ride(
    string Id,
    string BookingCode,
    string CampusId,
    string PickupPointId,
    string Language,
    string Status,
    string? Partner,
    string? PartnerBookingId,
    int? EtaMinutes,
    DateTimeOffset CreatedAt);
