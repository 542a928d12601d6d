using System.Diagnostics;
using Alice.Dispatch.Campuses;
using Alice.Dispatch.Partners;
using Alice.Dispatch.Rides;
using Microsoft.Extensions.Options;
using Alice.Dispatch.Telemetry;

namespace Alice.Dispatch.Booking;

/// <summary>
/// One run of getting a ride booked: with its current partner, or the next when one cannot confirm
/// within its budget, or a person when none has by the deadline (<see cref="BookingPlan"/> decides which).
/// Safe to run again after a crash at any point, and even beside another run for the same ride: the
/// ride's idempotency key makes every partner give both the same booking, and a ride no longer waiting
/// is left alone.
/// </summary>
internal sealed class BookingRun(
    RideStore rides,
    RideMoves moves,
    RideTransitions transitions,
    PartnerClient partners,
    ConsoleOffers offers,
    BookingScheduler scheduler,
    IOptions<PartnerOptions> options,
    CampusDirectory campuses,
    TimeProvider clock,
    ILogger<BookingRun> logger)
{
    /// <summary>When to run again, and as which attempt.</summary>
    public sealed record Next(TimeSpan Delay, int Attempt);

    /// <summary>One run for the ride as just read, as the given attempt (0 for the first); null when it needs no other.</summary>
    public async Task<Next?> RunAsync(Ride ride, int attempt, CancellationToken ct)
    {
        if (ride.Status != RideStatus.Requested) return null;
        var o = options.Value;
        var now = clock.GetUtcNow();
        var step = BookingPlan.Next(ride.TryingPartner, ride.PartnersAsked.Names, ride.PartnerSince ?? ride.WaitingSince, ride.HandOverAt,
            o.Providers.Select(p => p.Name).ToList(), TimeSpan.FromSeconds(o.BudgetPerPartnerSeconds), now);
        if (step is not BookingPlan.Step.Ask ask)
        {
            await transitions.HandOverAsync(ride, RideEvent.NoPartnerConfirmed, "no partner confirmed in time", ct);
            return null;
        }
        if (ask.Moved)
        {
            logger.LogWarning("Ride {RideId}: {Previous} did not confirm within its budget; trying {Partner}", ride.Id, ride.TryingPartner, ask.Partner);
            await moves.NextPartnerAsync(ride, ask.Partner, ct);
        }

        var partner = o.Providers.Single(p => p.Name == ask.Partner);
        // A console partner takes every booking at once, on its page, with its time to accept it (ask.Until).
        var outcome = partner.Mode == PartnerOptions.PartnerMode.Console
            ? await offers.OfferAsync(partner, ride.Id, ride.IdempotencyKey, ask.Until, ct)
            : await DispatchTelemetry.AttemptAsync(partner.Name, () => BookWithinAsync(partner, ride, ask.Until - now, ct));
        switch (outcome)
        {
            case BookingOutcome.Accepted(var answer):
                return await RecordBookingAsync(ride, partner, answer, ct);
            case BookingOutcome.Refused(var status) when ask.After is { } after:
                logger.LogWarning("Ride {RideId}: {Partner} refused the booking ({Status}); trying {Next}", ride.Id, partner.Name, status, after);
                await moves.NextPartnerAsync(ride, after, ct);
                return new Next(TimeSpan.Zero, 0); // a new partner or key starts its backoff afresh
            case BookingOutcome.Refused:
                await transitions.HandOverAsync(ride, RideEvent.NoPartnerConfirmed, "the last partner refused the booking", ct);
                return null;
            case BookingOutcome.Unavailable(var reason, var retryAfter):
                // Come back after the backoff (or when the partner asked), but no later than this partner's time.
                var delay = BookingPlan.RetryDelay(attempt, retryAfter, ask.Until, clock.GetUtcNow(), Random.Shared.NextDouble());
                // The ride's first retry is a warning; later ones are the partner's failures, counted by PartnerFailureLog.
                logger.Log(attempt == 0 ? LogLevel.Warning : LogLevel.Debug,
                    "Ride {RideId} not booked yet with {Partner} ({Reason}); trying again in {Delay:F1} s", ride.Id, partner.Name, reason, delay.TotalSeconds);
                return new Next(delay, attempt + 1);
        }
        throw new UnreachableException("A booking outcome is accepted, refused or unavailable.");
    }

    /// <summary>One run's booking attempts with this partner, stopped when its time is up.</summary>
    private async Task<BookingOutcome> BookWithinAsync(PartnerOptions.Provider partner, Ride ride, TimeSpan timeLeft, CancellationToken ct)
    {
        using var timeUp = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeUp.CancelAfter(timeLeft > TimeSpan.Zero ? timeLeft : TimeSpan.Zero);
        try
        {
            return await partners.BookAsync(partner, ride.IdempotencyKey, ToRequest(ride, partner), timeUp.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            // The partner may still book what it received: asked again under the same key, or its
            // late answer cancelled, it never becomes a second taxi.
            return new BookingOutcome.Unavailable("its time ran out");
        }
    }

    private async Task<Next?> RecordBookingAsync(Ride ride, PartnerOptions.Provider partner, BookingAnswer answer, CancellationToken ct)
    {
        switch (await transitions.RecordBookingAsync(ride.Id, partner.Name, answer.BookingId, answer.EtaMinutes, ct))
        {
            case RideTransitions.Recorded.Booked:
                logger.LogInformation("Ride {RideId} booked with {Partner}", ride.Id, partner.Name);
                DispatchTelemetry.Booked(partner.Name, clock.GetUtcNow() - ride.CreatedAt);
                return null;
            case RideTransitions.Recorded.GivenUpBefore:
                // The partner handed back a booking it gave up (or Alice cancelled) under this key:
                // ask again under a new key, for a new booking.
                logger.LogWarning("Ride {RideId}: {Partner} answered with a booking already given up; asking for a new one", ride.Id, partner.Name);
                await moves.AskAgainAsync(ride.Id, ct);
                return new Next(TimeSpan.Zero, 0); // a new key starts its backoff afresh
        }
        // The ride moved on meanwhile (another partner's booking arrived through an event, or it was
        // handed to a person): this booking is one too many.
        var now = await rides.FindAsync(ride.Id, ct);
        if (now is null || now.Partner != partner.Name || now.PartnerBookingId != answer.BookingId)
            await scheduler.ScheduleCancelAsync(partner.Name, answer.BookingId, ride.Id, ct);
        return null;
    }

    /// <summary>What the partner is sent of a ride (and a console partner's page shows): nothing about the caller.</summary>
    public BookingRequest ToRequest(Ride ride, PartnerOptions.Provider partner)
    {
        var campus = campuses.ById(ride.CampusId)
            ?? throw new InvalidOperationException($"Ride {ride.Id} names campus '{ride.CampusId}', which is no longer configured.");
        var pickup = campus.PickupPoint(ride.PickupPointId)
            ?? throw new InvalidOperationException($"Ride {ride.Id} names pickup point '{ride.PickupPointId}', which is no longer configured.");
        var d = campuses.Hotline.Destination;
        return new BookingRequest(
            ride.BookingCode,
            new BookingRequest.PickupPlace(pickup.Names[Languages.French.Code], pickup.Address, pickup.Lat, pickup.Lng, pickup.Instructions),
            new BookingRequest.Place(d.PartnerName, d.Address, d.Lat, d.Lng),
            Passengers: 1,
            partner.Account,
            // To the minute: the partner needs no finer time, and a finer one would match the call log.
            DateTimeOffset.FromUnixTimeSeconds(ride.CreatedAt.ToUnixTimeSeconds() / 60 * 60));
    }
}
