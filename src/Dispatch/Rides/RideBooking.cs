using Alice.Dispatch.Partners;
using Alice.Dispatch.Privacy;

namespace Alice.Dispatch.Rides;

/// <summary>
/// Turns a caller's choice into a ride: written to the database first, then handed to the booking job.
/// A Twilio retry of the same choice finds the same ride (by the keyed hash of its CallSid) and books nothing new.
/// </summary>
internal sealed class RideBooking(RideStore rides, CallKeys callKeys, BookingScheduler scheduler)
{
    /// <summary>Codes clash only with another active ride; a few fresh draws always find a free one.</summary>
    private const int CodeAttempts = 20;

    public async Task<Ride> BookAsync(string callSid, string campus, string pickupPoint, string language, CancellationToken ct)
    {
        var callKey = callKeys.For(callSid);
        for (var attempt = 0; attempt < CodeAttempts; attempt++)
        {
            var ride = await rides.InsertOrGetAsync(callKey, BookingCodes.New(), campus, pickupPoint, language, ct);
            if (ride is null) continue;
            // Also for a retried request: if the first attempt stopped between the insert and the
            // scheduling, this is where the ride gets its job. Scheduling an existing job is a no-op.
            if (ride.Status == RideStatus.Requested) await scheduler.EnsureScheduledAsync(ride.Id, ct);
            return ride;
        }
        throw new InvalidOperationException("No free booking code after repeated draws; the active-ride index needs attention.");
    }

    public Task<Ride?> FindForCallAsync(string callSid, CancellationToken ct) =>
        rides.FindByCallKeyAsync(callKeys.For(callSid), ct);
}
