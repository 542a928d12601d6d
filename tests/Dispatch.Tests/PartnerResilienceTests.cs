using Alice.Dispatch.Partners;
using Alice.Dispatch.Rides;
using Alice.Dispatch.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Alice.Dispatch.Tests;

/// <summary>Promise 2 against real partner simulators over HTTP: a taxi always comes, once, or a person takes over.</summary>
public class PartnerResilienceTests
{
    [Fact]
    public async Task A_partner_failing_its_first_attempts_ends_with_exactly_one_booking()
    {
        await using var fleet = await Fleet.StartAsync(partners: 1);
        fleet.Partners[0].Faults.Set(new() { FailNext = 6 }); // more than one run's quick retries

        var ride = await fleet.App.RideWhen(await fleet.App.BookRide(), r => r.Status == RideStatus.Booked);

        var booking = Assert.Single(fleet.Partners[0].Bookings, b => b.Reference == ride.BookingCode);
        Assert.Equal(ride.Id, booking.IdempotencyKey);
        Assert.Equal(booking.BookingId, ride.PartnerBookingId);
    }

    [Fact]
    public async Task A_partner_asking_to_retry_after_two_seconds_is_not_asked_sooner()
    {
        // An attempt's own timeout far above a loaded machine's slowest answer: only Retry-After is under test here.
        await using var fleet = await Fleet.StartAsync(partners: 1, attemptTimeoutSeconds: 10);
        fleet.Partners[0].Faults.Set(new() { FailNext = 1, RetryAfterSeconds = 2 });

        var started = DateTimeOffset.UtcNow;
        var ride = await fleet.App.RideWhen(await fleet.App.BookRide(), r => r.Status == RideStatus.Booked);

        var booking = fleet.Partners[0].Bookings.Single(b => b.Reference == ride.BookingCode);
        Assert.True(booking.ReceivedAt - started >= TimeSpan.FromSeconds(1.9), $"booked after {booking.ReceivedAt - started}");
        Assert.Equal(2, fleet.Partners[0].Ledger.Attempts);
    }

    [Fact]
    public async Task A_partner_that_keeps_failing_is_left_alone_while_its_circuit_is_open()
    {
        // The partner client alone, on a fake clock: its retry delays and the breaker's open time pass
        // only when the test moves the clock, so nothing sleeps and the count is exact.
        await using var partner = new PartnerSimulatorHost("first");
        await partner.InitializeAsync();
        partner.Faults.Set(new() { FailNext = 1000 });
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var provider = new PartnerOptions.Provider { Name = "first", BaseUrl = partner.BaseUrl, Secret = PartnerSimulatorHost.Secret, Account = "tests" };
        var options = new PartnerOptions { RetriesPerRun = 3, BreakSeconds = 30, Providers = [provider] };
        await using var services = new ServiceCollection().AddHttpClient().AddLogging().BuildServiceProvider();
        using var failures = new PartnerFailureLog(clock, Options.Create(options), new Operator.OperatorSignals(clock), services.GetRequiredService<ILogger<PartnerFailureLog>>());
        var client = new PartnerClient(services.GetRequiredService<IHttpClientFactory>(), Options.Create(options), clock, failures, services.GetRequiredService<ILogger<PartnerClient>>());
        var booking = new BookingRequest("1234", new("Alma", "Av. Mounier", 50.8, 4.4, ""), new("Centre", "Rue Haute 320", 50.8, 4.3), 1, "tests", clock.GetUtcNow());

        // Runs two seconds apart, as the booking job would make them, for some fifteen seconds.
        for (var run = 0; run < 5; run++) await BookWhileTheClockMovesAsync(client, provider, booking, clock);

        // Six failures (the first run's four attempts and two of the second's) open the breaker; while it
        // is open, runs fail at once without reaching the partner.
        Assert.Equal(6, partner.Ledger.Attempts);
        clock.Advance(TimeSpan.FromSeconds(31));
        await BookWhileTheClockMovesAsync(client, provider, booking, clock);
        Assert.Equal(7, partner.Ledger.Attempts); // once it half-opens, one attempt probes the partner
    }

    /// <summary>
    /// One booking run, the fake clock moved on in small steps while it waits (small, so that a slow real
    /// HTTP round trip adds little fake time), then two seconds on.
    /// </summary>
    private static async Task BookWhileTheClockMovesAsync(PartnerClient client, PartnerOptions.Provider provider, BookingRequest booking, FakeTimeProvider clock)
    {
        var run = client.BookAsync(provider, "ride-1", booking, CancellationToken.None);
        for (var i = 0; i < 2000 && !run.IsCompleted; i++)
        {
            await Task.Delay(10); // let the real HTTP attempt come back before moving time on
            clock.Advance(TimeSpan.FromMilliseconds(50));
        }
        Assert.IsType<BookingOutcome.Unavailable>(await run);
        clock.Advance(TimeSpan.FromSeconds(2));
    }

    [Fact]
    public async Task A_partner_down_longer_than_its_budget_fails_over_to_the_second_with_one_live_booking()
    {
        await using var fleet = await Fleet.StartAsync(partners: 2, budgetPerPartnerSeconds: 2);
        fleet.Partners[0].Faults.Set(new() { DownUntil = DateTimeOffset.UtcNow.AddMinutes(5) });

        var ride = await fleet.App.RideWhen(await fleet.App.BookRide(), r => r.Status == RideStatus.Booked);

        Assert.Equal("second", ride.Partner);
        Assert.Empty(fleet.Partners[0].Bookings);
        Assert.Equal(1, fleet.LiveBookings(ride.BookingCode));
    }

    [Fact]
    public async Task A_partner_that_refuses_for_good_is_left_at_once_for_the_next()
    {
        await using var fleet = await Fleet.StartAsync(partners: 2, budgetPerPartnerSeconds: 60);
        await using var app = new DispatchApp(fleet.Partners, settings: new() { ["Partners:Providers:0:Secret"] = "a-secret-the-first-partner-does-not-know-0123" });

        var started = DateTime.UtcNow;
        var ride = await app.RideWhen(await app.BookRide(), r => r.Status == RideStatus.Booked);

        Assert.Equal("second", ride.Partner);                          // 401 is not retried...
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(10)); // ...nor waited out for the 60 s budget
    }

    [Fact]
    public async Task A_ghost_booking_is_found_through_the_idempotency_key_and_not_booked_again()
    {
        await using var fleet = await Fleet.StartAsync(partners: 1);
        fleet.Partners[0].Faults.Set(new() { GhostNext = 1 }); // books, then answers 500

        var ride = await fleet.App.RideWhen(await fleet.App.BookRide(), r => r.Status == RideStatus.Booked);

        var booking = Assert.Single(fleet.Partners[0].Bookings, b => b.Reference == ride.BookingCode);
        Assert.True(booking.Requests >= 2, "the booking was asked for again");
        Assert.Equal(booking.BookingId, ride.PartnerBookingId);
    }

    [Fact]
    public async Task A_partner_that_books_after_the_ride_went_to_another_gets_a_cancel()
    {
        // A budget of a few seconds: the first partner must be asked before the ride moves on, even on a busy machine.
        await using var fleet = await Fleet.StartAsync(partners: 2, budgetPerPartnerSeconds: 4, attemptTimeoutSeconds: 0.5);
        // The first partner takes 1.5 s per answer: every attempt times out, yet it books.
        fleet.Partners[0].Faults.Set(new() { LatencyMs = 1500 });
        var ride = await fleet.App.RideWhen(await fleet.App.BookRide(), r => r.Status == RideStatus.Booked);
        Assert.Equal("second", ride.Partner);
        var late = await fleet.Partners[0].BookingFor(ride.BookingCode);

        // Its late answer reaches the service as an event.
        var answer = await fleet.App.PostPartnerEvent("first", new { eventId = "late-1", idempotencyKey = late.IdempotencyKey, bookingId = late.BookingId, reference = ride.BookingCode, type = "accepted", etaMinutes = 4 });
        Assert.Equal(200, (int)answer.StatusCode);

        await Eventually.True(() => fleet.Partners[0].Bookings.Single(b => b.BookingId == late.BookingId).Cancelled, "the late booking at \"first\" is cancelled", TimeSpan.FromSeconds(5));
        Assert.Equal(1, fleet.LiveBookings(ride.BookingCode));
        Assert.Equal("second", (await fleet.App.Ride(ride.Id))!.Partner);
    }
}
