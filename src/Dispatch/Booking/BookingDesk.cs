using Alice.Dispatch.Campuses;
using Alice.Dispatch.Partners;
using Alice.Dispatch.Privacy;
using Alice.Dispatch.Rides;
using Microsoft.Extensions.Options;
using Alice.Dispatch.Telemetry;

namespace Alice.Dispatch.Booking;

/// <summary>
/// Where the hotline turns a caller's choice into a ride: written in the request's own durable transaction
/// before the caller hears the code, with its hand-over deadline fixed now, then handed to the booking queue
/// for its first try. A Twilio retry of the same choice finds the same ride (by the keyed hash of its CallSid).
/// A caller bridged to a person before the ride was committed (the hotline's time limit, see
/// <see cref="CallerAnswer"/>) gets none.
/// </summary>
internal sealed class BookingDesk(RideStore rides, BookingQueue queue, CallKeys callKeys, IOptions<PartnerOptions> partners)
{
    /// <summary>Every booking code is held by an active ride: this caller needs a person.</summary>
    internal sealed class BookingCodesExhaustedException() : Exception("Every booking code is held by an active ride.");

    /// <summary>The call has ended: a request for it is a replayed webhook, and books nothing.</summary>
    internal sealed class CallEndedException() : Exception("The call has ended; it books no ride.");

    /// <summary>The ride, on disk; cancelled, with no ride written, when the caller was bridged to a person first.</summary>
    public async Task<Ride> BookAsync(string callSid, string campus, string pickupPoint, Language language, CallerAnswer answer, Channel channel)
    {
        answer.GivenUp.ThrowIfCancellationRequested();
        var o = partners.Value;
        var request = new RideRequest(callKeys.For(callSid), campus, pickupPoint, language, o.Providers[0].Name, TimeSpan.FromSeconds(o.HandOverAfterSeconds), channel);
        // Not cancellable: a caller who pressed a key gets a whole ride or a clear failure, never half of one.
        var written = await rides.InsertOrGetAsync(request, answer.TryCommit, CancellationToken.None);
        if (written.Ride is not { } ride)
        {
            answer.GivenUp.ThrowIfCancellationRequested();
            throw written.CallEnded ? new CallEndedException() : new BookingCodesExhaustedException();
        }
        // On disk: the caller can hear the code. The first try starts now, off the caller's path.
        queue.Add(ride, written.Created);
        if (written.Created) DispatchTelemetry.RideRequested(campus);
        return ride;
    }

    public Task<Ride?> FindForCallAsync(string callSid, CancellationToken ct) => rides.FindByCallKeyAsync(callKeys.For(callSid), ct);

    /// <inheritdoc cref="Confirmation"/>
    public bool IsConfirmed(Ride ride) => ride.IsConfirmed(partners.Value);
}
