using Alice.Dispatch.Rides;

namespace Alice.Dispatch.Partners;

/// <summary>
/// Whether a caller may be told the taxi is confirmed, by voice or by text: a partner holds the booking (or
/// the ride is over). A booking on a console partner's page is only offered until a dispatcher accepts it:
/// nobody may have seen it yet.
/// </summary>
internal static class Confirmation
{
    public static bool IsConfirmed(this Ride ride, PartnerOptions partners) =>
        ride.Status == RideStatus.DroppedOff
        || (ride.Status.HasLiveBooking() && !(ride.Status == RideStatus.Booked && partners.Console(ride.Partner) is not null));
}
