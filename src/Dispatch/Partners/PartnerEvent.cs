namespace Alice.Dispatch.Partners;

/// <summary>What a partner says happened to one of its bookings (partner-api-v1.md, v1.1).</summary>
internal enum PartnerEventType { Accepted, DriverArrived, PassengerOnBoard, DroppedOff, Cancelled, NoDriver }

/// <summary>
/// A partner event, checked: every field the service relies on is there and within bounds. The idempotency
/// key (v1.1) names the ride and its booking generation; a v1 event has none. The body's reference (the
/// booking code) is left out on purpose: a code is four digits, reused, and easily wrong, so it never finds a ride.
/// <see cref="Dropped"/> names what the event held that the caller must not hear or read (see <see cref="PartnerText"/>):
/// the event is applied without it.
/// </summary>
internal sealed record PartnerEvent(string EventId, string? IdempotencyKey, string BookingId, PartnerEventType Type, int? EtaMinutes, string? VehicleText)
{
    /// <summary>The fields left out, each with the kind of fault (never the value): for the log.</summary>
    public IReadOnlyList<string> Dropped { get; init; } = [];

    /// <summary>The partner gives the booking up.</summary>
    public bool GivesUp => Type is PartnerEventType.Cancelled or PartnerEventType.NoDriver;
}

/// <summary>A partner event as the JSON body carries it: anything may be missing or wrong until <see cref="Parse"/>.</summary>
internal sealed record PartnerEventBody(
    string? EventId, string? IdempotencyKey, string? BookingId, string? Reference, string? Type, int? EtaMinutes, PartnerEventBody.Car? Vehicle, DateTimeOffset? At)
{
    internal sealed record Car(string? Description, string? Plate);

    /// <summary>The wire names of the event types.</summary>
    public static readonly IReadOnlyDictionary<string, PartnerEventType> Types = new Dictionary<string, PartnerEventType>
    {
        ["accepted"] = PartnerEventType.Accepted,
        ["driver_arrived"] = PartnerEventType.DriverArrived,
        ["passenger_on_board"] = PartnerEventType.PassengerOnBoard,
        ["dropped_off"] = PartnerEventType.DroppedOff,
        ["cancelled"] = PartnerEventType.Cancelled,
        ["no_driver"] = PartnerEventType.NoDriver,
    };

    /// <summary>The checked event, or what is wrong with it (for a 400).</summary>
    public (PartnerEvent? Event, string? Problem) Parse()
    {
        if (EventId is not { Length: > 0 and <= 200 } eventId) return (null, "eventId is required (at most 200 characters).");
        if (BookingId is not { Length: > 0 and <= 200 } bookingId) return (null, "bookingId is required (at most 200 characters).");
        if (IdempotencyKey is { Length: 0 or > 200 }) return (null, "idempotencyKey, when given, is the booking's Idempotency-Key (1 to 200 characters).");
        if (Type is null || !Types.TryGetValue(Type, out var type)) return (null, $"type must be one of {string.Join(", ", Types.Keys)}.");
        if (Reference?.Length > 20) return (null, "reference is too long.");
        // Stored or looked up as text: PostgreSQL refuses a NUL in it, and no partner means one.
        if (new[] { eventId, IdempotencyKey, bookingId, Reference }.Any(text => text?.Contains('\0') == true))
            return (null, "The event's text fields may not hold a NUL character.");
        // What the caller hears and reads is dropped when it fails its checks, not the event: the ride moves on without it.
        var dropped = new List<string>();
        var (eta, etaProblem) = PartnerText.Eta(EtaMinutes);
        if (etaProblem is not null) dropped.Add($"etaMinutes ({etaProblem})");
        var vehicleProblem = PartnerText.Problem(Vehicle?.Description, PartnerText.LongestDescription) is { } d ? $"vehicle.description ({d})"
            : PartnerText.Problem(Vehicle?.Plate, PartnerText.LongestPlate) is { } p ? $"vehicle.plate ({p})"
            : PartnerText.Problem(VehicleText(), PartnerText.LongestDescription + PartnerText.LongestPlate + 2) is { } v ? $"vehicle ({v})"
            : null;
        if (vehicleProblem is not null) dropped.Add(vehicleProblem);
        return (new PartnerEvent(eventId, IdempotencyKey, bookingId, type, eta, vehicleProblem is null ? VehicleText() : null) { Dropped = dropped }, null);
    }

    /// <summary>The car as the caller will hear it, e.g. "White Toyota Prius, 1-ABC-234".</summary>
    private string? VehicleText() => Vehicle is null ? null
        : string.Join(", ", new[] { Vehicle.Description, Vehicle.Plate }.Where(s => !string.IsNullOrWhiteSpace(s))) is { Length: > 0 } text ? text : null;
}

/// <summary>
/// Whoever applies partner events to rides (the booking area). Declared here so the API adapter
/// depends on nothing that depends on it.
/// </summary>
internal interface IPartnerEvents
{
    /// <summary>
    /// Applied or Duplicate: taken (a repeat changes nothing). UnknownBooking: no ride is known by this key or
    /// booking. Contradicts: the key names one ride and the booking id belongs to another; nothing moved.
    /// </summary>
    internal enum Result { Applied, Duplicate, UnknownBooking, Contradicts }

    Task<Result> ApplyAsync(PartnerOptions.Provider partner, PartnerEvent e, CancellationToken ct);
}
