using Alice.Dispatch.Privacy;

namespace Alice.Dispatch.Rides;

/// <summary>
/// Turns a caller's choice into a ride: on disk, and queued for its booking job, before the caller hears
/// the code. A Twilio retry of the same choice finds the same ride (by the keyed hash of its CallSid).
/// </summary>
internal sealed class RideBooking(RideWriter writer, RideStore rides, CallKeys callKeys)
{
    public Task<Ride> BookAsync(string callSid, string campus, string pickupPoint, string language) =>
        writer.WriteAsync(new RideRequest(callKeys.For(callSid), campus, pickupPoint, language));

    public Task<Ride?> FindForCallAsync(string callSid, CancellationToken ct) =>
        rides.FindByCallKeyAsync(callKeys.For(callSid), ct);
}
