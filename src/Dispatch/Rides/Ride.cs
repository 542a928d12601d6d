using Alice.Dispatch.Campuses;

namespace Alice.Dispatch.Rides;

/// <summary>
/// Where a ride stands. Partner events only ever move a ride forward along the lifecycle (the order of
/// the values up to <see cref="DroppedOff"/>); the one way back is a rebooking after the partner cancelled
/// or found no driver. Stored as the text <see cref="RideStatuses.ToText"/> gives.
/// </summary>
internal enum RideStatus
{
    /// <summary>Written before the caller hears the code; no partner holds the booking yet.</summary>
    Requested,
    /// <summary>A partner took the booking (answered 201/200 with its booking id).</summary>
    Booked,
    /// <summary>The partner assigned a driver (ETA, and the car when the partner says).</summary>
    Accepted,
    DriverArrived,
    OnBoard,
    /// <summary>At the centre: the ride has ended.</summary>
    DroppedOff,
    /// <summary>No partner confirmed in time: a person takes over (alert for the centre). The ride has ended: its code is free.</summary>
    NeedsPerson,
}

internal static class RideStatuses
{
    private static readonly Dictionary<RideStatus, string> Texts = new()
    {
        [RideStatus.Requested] = "requested",
        [RideStatus.Booked] = "booked",
        [RideStatus.Accepted] = "accepted",
        [RideStatus.DriverArrived] = "driver_arrived",
        [RideStatus.OnBoard] = "passenger_on_board",
        [RideStatus.DroppedOff] = "dropped_off",
        [RideStatus.NeedsPerson] = "needs_person",
    };

    private static readonly Dictionary<string, RideStatus> ByText = Texts.ToDictionary(kv => kv.Value, kv => kv.Key);

    /// <summary>The text stored in the database.</summary>
    public static string ToText(this RideStatus status) => Texts[status];

    /// <summary>A stored status; anything else is a corrupt row, worth failing loudly on.</summary>
    public static RideStatus Parse(string text) =>
        ByText.TryGetValue(text, out var status) ? status : throw new InvalidDataException($"Unknown ride status '{text}'.");

    /// <summary>Whether going from one status to the other moves the ride forward along the lifecycle.</summary>
    public static bool IsForward(RideStatus from, RideStatus to) =>
        from != RideStatus.NeedsPerson && to != RideStatus.NeedsPerson && to > from;

    /// <summary>A partner still holds this ride's booking: cancelling it now would leave the passenger without a taxi.</summary>
    public static bool HasLiveBooking(this RideStatus status) =>
        status is RideStatus.Booked or RideStatus.Accepted or RideStatus.DriverArrived or RideStatus.OnBoard;
}

/// <summary>A ride to the centre. Deliberately holds nothing about the caller.</summary>
internal sealed record Ride(
    string Id,
    string BookingCode,
    string CampusId,
    string PickupPointId,
    Language Language,
    RideStatus Status,
    string? Partner,
    string? PartnerBookingId,
    int? EtaMinutes,
    string? Vehicle,
    /// <summary>The partner (by name) being asked while the ride waits; null once none is left to ask.</summary>
    string? TryingPartner,
    PartnersAsked PartnersAsked,
    DateTimeOffset? PartnerSince,
    DateTimeOffset WaitingSince,
    /// <summary>When a person takes over if no partner has confirmed: computed once, when the ride starts waiting.</summary>
    DateTimeOffset HandOverAt,
    int KeyGeneration,
    DateTimeOffset CreatedAt,
    /// <summary>When the ride ended (arrived, handed to a person, or long overdue): its booking code is free from then.</summary>
    DateTimeOffset? EndedAt)
{
    /// <summary>What partners see as Idempotency-Key: the ride id, with the rebooking count once it was rebooked.</summary>
    public string IdempotencyKey => KeyGeneration == 0 ? Id : $"{Id}:{KeyGeneration}";

    /// <summary>
    /// The ride id and generation of a key exactly as <see cref="IdempotencyKey"/> writes it (a partner
    /// echoes it in its events); null for anything it never writes, such as <c>id:0</c> or <c>id:01</c>.
    /// </summary>
    public static (string RideId, int Generation)? ParseKey(string key)
    {
        var colon = key.IndexOf(':');
        if (colon < 0) return key.Length > 0 ? (key, 0) : null;
        var (id, n) = (key[..colon], key[(colon + 1)..]);
        return id.Length > 0 && int.TryParse(n, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var generation)
            && generation > 0 && $"{id}:{generation}" == key ? (id, generation) : null;
    }
}

/// <summary>Every partner asked for a ride so far, by name, in order (stored as the names joined by commas).</summary>
internal sealed record PartnersAsked(string Stored)
{
    public IReadOnlyList<string> Names => Stored.Split(',', StringSplitOptions.RemoveEmptyEntries);

    public bool Contains(string partner) => Names.Contains(partner);
}
