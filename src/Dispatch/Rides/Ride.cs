namespace Alice.Dispatch.Rides;

/// <summary>
/// Where a ride stands. Stored as text. Partner events only ever move a ride forward along
/// <see cref="Lifecycle"/>; the one way back is a rebooking after the partner cancelled or found no driver.
/// </summary>
internal static class RideStatus
{
    /// <summary>Written before the caller hears the code; no partner holds the booking yet.</summary>
    public const string Requested = "requested";
    /// <summary>A partner took the booking (answered 201/200 with its booking id).</summary>
    public const string Booked = "booked";
    /// <summary>The partner assigned a driver (ETA, and the car when the partner says).</summary>
    public const string Accepted = "accepted";
    public const string DriverArrived = "driver_arrived";
    public const string OnBoard = "passenger_on_board";
    /// <summary>At the centre: the ride has ended.</summary>
    public const string DroppedOff = "dropped_off";
    /// <summary>No partner confirmed in time: a person takes over (alert on the centre console).</summary>
    public const string NeedsPerson = "needs_person";

    /// <summary>The order a ride moves in; its index is a status's rank.</summary>
    public static readonly string[] Lifecycle = [Requested, Booked, Accepted, DriverArrived, OnBoard, DroppedOff];

    /// <summary>Position in <see cref="Lifecycle"/>; a ride handed to a person is past every partner event.</summary>
    public static int Rank(string status) => Array.IndexOf(Lifecycle, status) is var i and >= 0 ? i : int.MaxValue;

    /// <summary>A partner still holds this ride's booking: cancelling it now would leave the passenger without a taxi.</summary>
    public static bool HasLiveBooking(string status) => status is Booked or Accepted or DriverArrived or OnBoard;
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
    string? Vehicle,
    int PartnerIndex,
    DateTimeOffset? PartnerSince,
    DateTimeOffset WaitingSince,
    int KeyGeneration,
    DateTimeOffset CreatedAt)
{
    /// <summary>What partners see as Idempotency-Key: the ride id, with the rebooking count once it was rebooked.</summary>
    public string IdempotencyKey => KeyGeneration == 0 ? Id : $"{Id}:{KeyGeneration}";
}
