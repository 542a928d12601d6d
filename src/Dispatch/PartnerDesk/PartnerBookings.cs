using Alice.Dispatch.Booking;
using Alice.Dispatch.Partners;
using Alice.Dispatch.Rides;
using T = Alice.Dispatch.PartnerDesk.PartnerDeskTexts;

namespace Alice.Dispatch.PartnerDesk;

/// <summary>
/// What a console partner's page shows: its open bookings, each exactly as partner API v1 would have sent it
/// (<see cref="BookingRun.ToRequest"/>: the code, the pickup point with the driver's instructions, the neutral
/// destination, the minute requested), with the step the partner itself reported. Nothing about the caller,
/// nor anything the API does not carry.
/// </summary>
internal sealed class PartnerBookings(RideBoard board, BookingRun run)
{
    public async Task<BookingsModel> ReadAsync(PartnerOptions.Provider partner, string language, CancellationToken ct) =>
        new(language, [.. (await board.WithPartnerAsync(partner.Name, ct)).Select(ride => Shown(ride, run.ToRequest(ride, partner), language))]);

    private static BookingShown Shown(Ride ride, BookingRequest sent, string language) => new(
        ride.PartnerBookingId!, sent.Reference, sent.Pickup.Name, sent.Pickup.Address, sent.Pickup.Instructions,
        $"{sent.Destination.Name}, {sent.Destination.Address}", Alice.Totals.Week.InBrussels(sent.RequestedAt).ToString("HH:mm"),
        ride.Status.ToText(), T.Of(ride.Status).In(language),
        ride.State.Takes(RideEvent.PartnerAccepted), ride.State.Takes(RideEvent.DriverArrived) && ride.Status != RideStatus.Booked,
        ride.State.Takes(RideEvent.PassengerOnBoard) && ride.Status != RideStatus.Booked, ride.Status == RideStatus.OnBoard,
        ride.State.Takes(RideEvent.PartnerGaveUp) || ride.State.Takes(RideEvent.LastPartnerGaveUp));
}

/// <summary>The page's list of bookings, fetched again by its script every two seconds.</summary>
public sealed record BookingsModel(string Language, IReadOnlyList<BookingShown> Bookings) : Alice.Web.IPageModel<BookingsView>;

/// <summary>
/// One booking as the partner's dispatcher sees it, with the actions its step offers: accept while new; the driver's
/// arrival and the passenger on board once accepted; the drop-off once on board; cannot serve until the passenger is on board.
/// </summary>
public sealed record BookingShown(string BookingId, string Code, string Pickup, string Address, string Instructions, string Destination,
    string RequestedAt, string Status, string StatusName, bool CanAccept, bool CanArrive, bool CanBoard, bool CanDropOff, bool CanGiveUp);
