using System.Diagnostics;
using Alice.Dispatch.Campuses;
using Alice.Dispatch.Rides;
using Microsoft.Extensions.Options;

namespace Alice.Dispatch.Partners;

/// <summary>
/// One run of getting a ride booked: with its current partner, or the next when one cannot confirm
/// within its budget, or a person when none has by the deadline. Safe to run again after a crash at any
/// point, and even beside another run for the same ride: the ride's idempotency key makes every
/// partner give both the same booking, and a ride no longer waiting is left alone.
/// </summary>
internal sealed class BookingRun(
    RideStore rides,
    PartnerClient partners,
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
        var deadline = ride.WaitingSince + TimeSpan.FromSeconds(o.HandOverAfterSeconds);
        if (now >= deadline)
        {
            await HandOverAsync(ride, ct);
            return null;
        }

        var index = Math.Min(ride.PartnerIndex, o.Providers.Count - 1);
        var since = ride.PartnerSince ?? ride.WaitingSince;
        if (now - since >= TimeSpan.FromSeconds(o.BudgetPerPartnerSeconds) && index + 1 < o.Providers.Count)
        {
            logger.LogWarning("Ride {RideId}: {Partner} did not confirm within its budget; trying the next partner", ride.Id, o.Providers[index].Name);
            await rides.TryPartnerAsync(ride.Id, ++index, ct);
            since = now;
        }

        var partner = o.Providers[index];
        // This partner's time ends with its budget or, for the last partner, at the hand-over deadline:
        // a run (up to four attempts of several seconds) must not carry the ride past it.
        var budgetEnd = since + TimeSpan.FromSeconds(o.BudgetPerPartnerSeconds);
        var limit = index + 1 < o.Providers.Count && budgetEnd < deadline ? budgetEnd : deadline;
        switch (await BookWithinAsync(partner, ride, limit - now, ct))
        {
            case BookingOutcome.Accepted(var answer):
                return await RecordBookingAsync(ride, partner, answer, ct);
            case BookingOutcome.Refused(var status) when index + 1 < o.Providers.Count:
                logger.LogWarning("Ride {RideId}: {Partner} refused the booking ({Status}); trying the next partner", ride.Id, partner.Name, status);
                await rides.TryPartnerAsync(ride.Id, index + 1, ct);
                return new Next(TimeSpan.Zero, 0); // a new partner or key starts its backoff afresh
            case BookingOutcome.Refused:
                await HandOverAsync(ride, ct);
                return null;
            case BookingOutcome.Unavailable(var reason, var retryAfter):
                // Come back after the backoff (or when the partner asked), but no later than the limit.
                var delay = Backoff(attempt);
                if (retryAfter > delay) delay = retryAfter.Value;
                var left = limit - clock.GetUtcNow();
                if (delay > left) delay = left > TimeSpan.Zero ? left : TimeSpan.Zero;
                logger.LogWarning("Ride {RideId} not booked yet with {Partner} ({Reason}); trying again in {Delay:F1} s", ride.Id, partner.Name, reason, delay.TotalSeconds);
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
        if (await rides.MarkBookedAsync(ride.Id, partner.Name, answer.BookingId, answer.EtaMinutes, ct))
        {
            logger.LogInformation("Ride {RideId} booked with {Partner}", ride.Id, partner.Name);
            return null;
        }
        if (await rides.IsDeadAsync(partner.Name, answer.BookingId, ct))
        {
            // The partner handed back a booking it gave up (or Alice cancelled) under this key:
            // ask again under a new key, for a new booking.
            logger.LogWarning("Ride {RideId}: {Partner} answered with a booking already given up; asking for a new one", ride.Id, partner.Name);
            await rides.RenewKeyAsync(ride.Id, ct);
            return new Next(TimeSpan.Zero, 0); // a new key starts its backoff afresh
        }
        // The ride moved on meanwhile (another partner's booking arrived through an event, or it was
        // handed to a person): this booking is one too many.
        var now = await rides.FindAsync(ride.Id, ct);
        if (now is null || now.Partner != partner.Name || now.PartnerBookingId != answer.BookingId)
            await scheduler.ScheduleCancelAsync(partner.Name, answer.BookingId, ride.Id, ct);
        return null;
    }

    private async Task HandOverAsync(Ride ride, CancellationToken ct)
    {
        if (await rides.HandOverAsync(ride.Id, ct))
            logger.LogError("Ride {RideId}: no partner confirmed in time; handed over to a person (alert raised)", ride.Id);
    }

    /// <summary>
    /// 0.5, 1, 2, then every 3 seconds, each ±20%: a partner's recovery is noticed within seconds, and
    /// while its circuit is open these attempts fail at once without reaching it.
    /// </summary>
    private static TimeSpan Backoff(int attempt) =>
        TimeSpan.FromSeconds(Math.Min(3, 0.5 * Math.Pow(2, attempt)) * (0.8 + 0.4 * Random.Shared.NextDouble()));

    private BookingRequest ToRequest(Ride ride, PartnerOptions.Provider partner)
    {
        var campus = campuses.ById(ride.CampusId)
            ?? throw new InvalidOperationException($"Ride {ride.Id} names campus '{ride.CampusId}', which is no longer configured.");
        var pickup = campus.PickupPoints.Single(p => p.Id == ride.PickupPointId);
        var d = campuses.Hotline.Destination;
        return new BookingRequest(
            ride.BookingCode,
            new BookingRequest.PickupPlace(pickup.Names[Languages.French.Code], pickup.Address, pickup.Lat, pickup.Lng, pickup.Instructions),
            new BookingRequest.Place(d.Name, d.Address, d.Lat, d.Lng),
            Passengers: 1,
            partner.Account,
            ride.CreatedAt);
    }
}
