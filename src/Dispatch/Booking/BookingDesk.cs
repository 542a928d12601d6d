using Alice.Dispatch.Campuses;
using Alice.Dispatch.Partners;
using Alice.Dispatch.Privacy;
using Alice.Dispatch.Rides;
using Microsoft.Extensions.Options;

namespace Alice.Dispatch.Booking;

/// <summary>
/// Where the hotline turns a caller's choice into a ride: on disk before the caller hears the code, with
/// its hand-over deadline fixed now, and queued for its first booking try. A Twilio retry of the same choice
/// finds the same ride (by the keyed hash of its CallSid). A caller bridged to a person before the ride
/// was committed (the hotline's time limit, see <see cref="CallerAnswer"/>) gets none.
/// </summary>
internal sealed class BookingDesk(RideWriter writer, RideStore rides, CallKeys callKeys, IOptions<PartnerOptions> partners)
{
    public async Task<Ride> BookAsync(string callSid, string campus, string pickupPoint, Language language, CallerAnswer answer)
    {
        var o = partners.Value;
        var request = new RideRequest(callKeys.For(callSid), campus, pickupPoint, language, o.Providers[0].Name, TimeSpan.FromSeconds(o.HandOverAfterSeconds));
        return await writer.WriteAsync(request, answer);
    }

    public Task<Ride?> FindForCallAsync(string callSid, CancellationToken ct) => rides.FindByCallKeyAsync(callKeys.For(callSid), ct);
}
