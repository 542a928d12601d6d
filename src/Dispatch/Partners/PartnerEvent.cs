using Alice.Dispatch.Rides;

namespace Alice.Dispatch.Partners;

/// <summary>An event a partner sends about one of its bookings (partner-api-v1.md).</summary>
internal sealed record PartnerEvent(
    string? EventId, string? BookingId, string? Reference, string? Type, int? EtaMinutes, PartnerEvent.Car? Vehicle, DateTimeOffset? At)
{
    internal sealed record Car(string? Description, string? Plate);

    public const string Cancelled = "cancelled";
    public const string NoDriver = "no_driver";

    /// <summary>The status each lifecycle event moves a ride to.</summary>
    public static readonly IReadOnlyDictionary<string, string> Moves = new Dictionary<string, string>
    {
        ["accepted"] = RideStatus.Accepted,
        ["driver_arrived"] = RideStatus.DriverArrived,
        ["passenger_on_board"] = RideStatus.OnBoard,
        ["dropped_off"] = RideStatus.DroppedOff,
    };

    /// <summary>The partner gives the booking up.</summary>
    public bool GivesUp => Type is Cancelled or NoDriver;

    /// <summary>What is wrong with the event, or null when it can be applied.</summary>
    public string? Problem() =>
        EventId is not { Length: > 0 and <= 200 } ? "eventId is required (at most 200 characters)."
        : BookingId is not { Length: > 0 and <= 200 } ? "bookingId is required (at most 200 characters)."
        : Type is null || !(Moves.ContainsKey(Type) || GivesUp) ? $"type must be one of {string.Join(", ", Moves.Keys)}, {Cancelled}, {NoDriver}."
        : EtaMinutes is < 0 or > 600 ? "etaMinutes must be between 0 and 600."
        : Reference?.Length > 20 || Vehicle?.Description?.Length > 100 || Vehicle?.Plate?.Length > 20 ? "reference, vehicle.description or vehicle.plate is too long."
        : null;

    /// <summary>The car as the caller will hear it, e.g. "White Toyota Prius, 1-ABC-234".</summary>
    public string? VehicleText => Vehicle is null ? null
        : string.Join(", ", new[] { Vehicle.Description, Vehicle.Plate }.Where(s => !string.IsNullOrWhiteSpace(s))) is { Length: > 0 } text ? text : null;
}
