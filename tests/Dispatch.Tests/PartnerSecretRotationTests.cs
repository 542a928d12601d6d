using System.Net;
using Alice.Dispatch.Rides;
using Alice.Dispatch.Tests.Support;

namespace Alice.Dispatch.Tests;

/// <summary>
/// Rotating a partner's secret without refusing what it sends: during the rotation the partner's events are
/// accepted under the current secret or the previous one, Alice signs its own requests with the current one,
/// and nothing else changes (a third secret, a stale event, are refused as before).
/// </summary>
public class PartnerSecretRotationTests : IAsyncLifetime
{
    /// <summary>The secret agreed before: the partner simulator already signs and checks with the new one (its Secret).</summary>
    private const string PreviousSecret = "test-partner-secret-before-the-rotation-0123";

    private readonly PartnerSimulatorHost _partner = new();
    private DispatchApp _app = null!;

    public async Task InitializeAsync()
    {
        await _partner.InitializeAsync();
        _app = new DispatchApp(_partner, settings: new() { ["Partners:Providers:0:PreviousSecret"] = PreviousSecret });
        _app.CreateClient().Dispose();
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        await _partner.DisposeAsync();
    }

    private async Task<Ride> BookedRide() => await _app.RideWhen(await _app.BookRide(), r => r.Status == RideStatus.Booked);

    private static object Event(Ride ride, string type) => new
    {
        eventId = Guid.NewGuid().ToString(),
        bookingId = ride.PartnerBookingId,
        reference = ride.BookingCode,
        type,
        etaMinutes = 5,
        vehicle = type == "accepted" ? new { description = "White Toyota Prius", plate = "1-ABC-234" } : null,
        at = DateTimeOffset.UtcNow,
    };

    [Fact]
    public async Task During_a_rotation_events_signed_with_the_previous_secret_or_the_current_one_are_both_applied()
    {
        // Booked at all: the partner, which checks with the current secret only, took Alice's request.
        var ride = await BookedRide();
        Assert.Equal(HttpStatusCode.OK, (await _app.PostPartnerEvent(_partner.Name, Event(ride, "accepted"), secret: PreviousSecret)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _app.PostPartnerEvent(_partner.Name, Event(ride, "driver_arrived"), secret: PartnerSimulatorHost.Secret)).StatusCode);
        Assert.Equal(RideStatus.DriverArrived, (await _app.Ride(ride.Id))!.Status);
    }

    [Fact]
    public async Task During_a_rotation_an_event_signed_with_a_third_secret_is_refused()
    {
        var ride = await BookedRide();
        var forged = await _app.PostPartnerEvent(_partner.Name, Event(ride, "dropped_off"), secret: "a-third-secret-nobody-agreed-on-0123456789");
        Assert.Equal(HttpStatusCode.Unauthorized, forged.StatusCode);
        Assert.Equal(RideStatus.Booked, (await _app.Ride(ride.Id))!.Status);
    }

    [Fact]
    public async Task During_a_rotation_a_stale_event_signed_with_the_previous_secret_is_refused()
    {
        var ride = await BookedRide();
        var stale = await _app.PostPartnerEvent(_partner.Name, Event(ride, "dropped_off"), secret: PreviousSecret,
            timestamp: DateTimeOffset.UtcNow.AddMinutes(-6).ToUnixTimeSeconds());
        Assert.Equal(HttpStatusCode.Unauthorized, stale.StatusCode);
        Assert.Equal(RideStatus.Booked, (await _app.Ride(ride.Id))!.Status);
    }

    [Fact]
    public async Task Once_the_previous_secret_is_removed_what_it_signs_is_refused()
    {
        var ride = await BookedRide();
        _app = await _app.RestartAsync([_partner]); // the previous secret no longer given
        Assert.Equal(HttpStatusCode.Unauthorized, (await _app.PostPartnerEvent(_partner.Name, Event(ride, "accepted"), secret: PreviousSecret)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _app.PostPartnerEvent(_partner.Name, Event(ride, "accepted"), secret: PartnerSimulatorHost.Secret)).StatusCode);
    }

    [Theory]
    [InlineData(PartnerSimulatorHost.Secret, "must differ from its Secret")]
    [InlineData("short", "must be at least 32 characters")]
    public async Task A_previous_secret_equal_to_the_current_one_or_too_short_stops_the_start(string previous, string expected)
    {
        await using var app = _app.OnTheSameDatabase([_partner], "Production", new() { ["Partners:Providers:0:PreviousSecret"] = previous });
        await using var host = app.BuildHost();
        var failure = await Assert.ThrowsAnyAsync<Exception>(() => host.StartAsync());
        Assert.Contains($"Partners:Providers:0:PreviousSecret {expected}", failure.ToString());
    }
}
