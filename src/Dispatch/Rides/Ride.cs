using Alice.Dispatch.Campuses;

namespace Alice.Dispatch.Rides;

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
    DateTimeOffset? EndedAt,
    /// <summary>When the partner expects the driver at the pickup point, or, once the passenger is on board, the car at the centre (null: not said).</summary>
    DateTimeOffset? EtaAt,
    /// <summary>The status the ride was in when the centre marked it arrived; null when it was not (or before that was kept).</summary>
    RideStatus? ArrivedWhile,
    /// <summary>The partner's booking an arrival called off is still to be cancelled.</summary>
    bool CancelOwed)
{
    /// <summary>Where the ride is in its lifecycle (see <see cref="RideLifecycle"/>).</summary>
    public RideState State => new(Status, EndedAt is not null);

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
