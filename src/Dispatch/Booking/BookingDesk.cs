using Alice.Dispatch.Abuse;
using Alice.Dispatch.Campuses;
using Alice.Dispatch.Partners;
using Alice.Dispatch.Privacy;
using Alice.Dispatch.Rides;
using Microsoft.Extensions.Options;
using Alice.Dispatch.Telemetry;

namespace Alice.Dispatch.Booking;

/// <summary>
/// What became of a caller's choice of a pickup point: a ride; a person, over the caller's or the campus's limit
/// (<see cref="Verdict"/>); or a person because no ride could be written (every code held, the call ended, a fault).
/// </summary>
internal enum AttemptOutcome { Booked, CallerLimit, CampusBusy, Failed }

/// <summary>The outcome, with the ride when booked.</summary>
internal sealed record BookingAttempt(AttemptOutcome Outcome, Ride? Ride = null);

/// <summary>
/// Where the hotline turns a caller's choice into a ride: written in the request's own durable transaction
/// before the caller hears the code, with its hand-over deadline fixed now, then handed to the booking queue
/// for its first try. A Twilio retry of the same choice finds the same ride (by the keyed hash of its CallSid).
/// A caller bridged to a person before the ride was committed (the hotline's time limit, see
/// <see cref="CallerAnswer"/>) gets none.
/// </summary>
internal sealed class BookingDesk(RideStore rides, BookingQueue queue, CallKeys callKeys, BookingLimits limits, IOptions<PartnerOptions> partners, ILogger<BookingDesk> logger)
{
    /// <summary>Every booking code is held by an active ride: this caller needs a person.</summary>
    internal sealed class BookingCodesExhaustedException() : Exception("Every booking code is held by an active ride.");

    /// <summary>The call has ended: a request for it is a replayed webhook, and books nothing.</summary>
    internal sealed class CallEndedException() : Exception("The call has ended; it books no ride.");

    /// <summary>
    /// A caller's choice, by voice or text, under the abuse limits: every channel books this way and says only its
    /// own words for each outcome. <paramref name="from"/> and <paramref name="call"/> are what the limits count
    /// by (as keyed hashes, never kept). A failure puts the caller through to a person and is released from the
    /// limits, so a caller who tries again during an outage is not told they booked too often.
    /// </summary>
    public async Task<BookingAttempt> BookWithinLimitsAsync(string campus, string pickupPoint, string? from, string call, Language language, CallerAnswer answer, Channel channel)
    {
        switch (limits.Admit(campus, from, call))
        {
            case Verdict.CallerLimit: return new(AttemptOutcome.CallerLimit);
            case Verdict.CampusBusy: return new(AttemptOutcome.CampusBusy);
        }
        try
        {
            // Not cancelled when Twilio drops the request: the choice was made, and a retry of the same request
            // finds the ride complete.
            return new(AttemptOutcome.Booked, await BookAsync(call, campus, pickupPoint, language, answer, channel));
        }
        catch (Exception e)
        {
            // Only the type is logged: an exception message could carry request data (a number, a CallSid).
            logger.LogError("Booking by {Channel} failed ({Error}); a person takes over", channel, e.GetType().Name);
            limits.Release(campus, from, call);
            return new(AttemptOutcome.Failed);
        }
    }

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
