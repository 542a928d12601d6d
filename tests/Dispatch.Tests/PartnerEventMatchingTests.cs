using System.Net;
using Alice.Dispatch.Rides;
using Alice.Dispatch.Tests.Support;

namespace Alice.Dispatch.Tests;

/// <summary>
/// Partner API v1.1: an event finds its ride by the idempotency key Alice sent, or by the booking id the
/// ride holds; never by the booking code, which a wrong or reused one would turn into a ride hijack.
/// </summary>
public class PartnerEventMatchingTests : IAsyncLifetime
{
    private Fleet _fleet = null!;
    private DispatchApp App => _fleet.App;
    private PartnerSimulatorHost First => _fleet.Partners[0];

    public async Task InitializeAsync() => _fleet = await Fleet.StartAsync(partners: 2, budgetPerPartnerSeconds: 30, handOverAfterSeconds: 60);
    public async Task DisposeAsync() => await _fleet.DisposeAsync();

    private async Task<Ride> BookedRide() => await App.RideWhen(await App.BookRide(), r => r.Status == RideStatus.Booked);

    /// <summary>A ride the first partner keeps failing to book: it waits, with that partner asked.</summary>
    private async Task<Ride> WaitingRide()
    {
        First.Faults.Set(new() { FailNext = 100_000 });
        var id = await App.BookRide();
        return await App.RideWhen(id, r => r.Status == RideStatus.Requested && r.PartnersAsked.Contains("first"));
    }

    private static object Event(string type, string bookingId, string? reference = null, string? key = null) => new
    {
        eventId = Guid.NewGuid().ToString(),
        idempotencyKey = key,
        bookingId,
        reference,
        type,
        etaMinutes = type == "accepted" ? 5 : (int?)null,
    };

    [Fact]
    public async Task The_hijack_from_the_review_a_late_booking_with_another_rides_code_moves_nothing_and_cancels_nothing()
    {
        var waiting = await WaitingRide();
        // A booking no ride holds (a late answer, a partner's mistake), reported with the waiting ride's code.
        var hijack = await App.PostPartnerEvent("first", Event("accepted", "bk_stray", reference: waiting.BookingCode));

        Assert.Equal(HttpStatusCode.NotFound, hijack.StatusCode);
        var now = (await App.Ride(waiting.Id))!;
        Assert.Equal(RideStatus.Requested, now.Status);
        Assert.Null(now.PartnerBookingId);
        Assert.Equal(0, await App.ScalarAsync("SELECT COUNT(*) FROM dead_bookings;"));

        // The partner recovers: the waiting ride gets its own booking, and keeps it.
        First.Faults.Set(new());
        var booked = await App.RideWhen(waiting.Id, r => r.Status == RideStatus.Booked);
        var real = Assert.Single(First.Bookings, b => b.Reference == waiting.BookingCode);
        Assert.Equal(real.BookingId, booked.PartnerBookingId);
        Assert.False(real.Cancelled);
    }

    [Fact]
    public async Task A_v1_event_with_someone_elses_code_moves_no_ride_and_cancels_nothing()
    {
        var booked = await BookedRide();
        var other = await BookedRide();

        var wrong = await App.PostPartnerEvent("first", Event("dropped_off", "bk_unknown", reference: other.BookingCode));

        Assert.Equal(HttpStatusCode.NotFound, wrong.StatusCode);
        Assert.Equal(RideStatus.Booked, (await App.Ride(booked.Id))!.Status);
        Assert.Equal(RideStatus.Booked, (await App.Ride(other.Id))!.Status);
        Assert.All(First.Bookings, b => Assert.False(b.Cancelled));
    }

    [Fact]
    public async Task A_v1_event_for_the_booking_a_ride_holds_is_still_applied()
    {
        var ride = await BookedRide();
        var accepted = await App.PostPartnerEvent("first", Event("accepted", ride.PartnerBookingId!, reference: ride.BookingCode));

        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        Assert.Equal(RideStatus.Accepted, (await App.RideWhen(ride.Id, r => r.Status == RideStatus.Accepted)).Status);
    }

    [Fact]
    public async Task A_v1_1_event_with_ride_as_key_and_ride_bs_code_moves_ride_a_only()
    {
        var a = await BookedRide();
        var b = await WaitingRide();

        var accepted = await App.PostPartnerEvent("first", Event("accepted", a.PartnerBookingId!, reference: b.BookingCode, key: a.IdempotencyKey));

        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        Assert.Equal(RideStatus.Accepted, (await App.Ride(a.Id))!.Status);
        var untouched = (await App.Ride(b.Id))!;
        Assert.Equal(RideStatus.Requested, untouched.Status);
        Assert.Null(untouched.PartnerBookingId);
        Assert.All(First.Bookings, booking => Assert.False(booking.Cancelled));
    }

    [Fact]
    public async Task An_event_whose_key_names_one_ride_and_whose_booking_another_holds_is_refused_and_moves_neither()
    {
        var a = await BookedRide();
        var b = await BookedRide();

        var contradiction = await App.PostPartnerEvent("first", Event("dropped_off", b.PartnerBookingId!, key: a.IdempotencyKey));

        Assert.Equal(HttpStatusCode.BadRequest, contradiction.StatusCode);
        Assert.Equal(RideStatus.Booked, (await App.Ride(a.Id))!.Status);
        Assert.Equal(RideStatus.Booked, (await App.Ride(b.Id))!.Status);
        Assert.Equal(0, await App.ScalarAsync("SELECT COUNT(*) FROM dead_bookings;"));
    }

    [Fact]
    public async Task A_key_alice_never_sent_this_partner_is_an_unknown_booking()
    {
        var ride = await BookedRide(); // with the first partner, under its first key

        var noSuchRide = await App.PostPartnerEvent("first", Event("accepted", "bk_x", key: Guid.NewGuid().ToString()));
        var notYetSent = await App.PostPartnerEvent("first", Event("accepted", "bk_x", key: $"{ride.Id}:1"));
        var neverWritten = await App.PostPartnerEvent("first", Event("accepted", "bk_x", key: $"{ride.Id}:01"));
        var neverAsked = await App.PostPartnerEvent("second", Event("accepted", "bk_x", key: ride.IdempotencyKey));

        Assert.All(new[] { noSuchRide, notYetSent, neverWritten, neverAsked }, r => Assert.Equal(HttpStatusCode.NotFound, r.StatusCode));
        var now = (await App.Ride(ride.Id))!;
        Assert.Equal((RideStatus.Booked, "first", ride.PartnerBookingId), (now.Status, now.Partner, now.PartnerBookingId));
        Assert.Equal(0, await App.ScalarAsync("SELECT COUNT(*) FROM dead_bookings;"));
    }

    [Fact]
    public async Task A_booking_whose_answer_was_lost_is_taken_from_an_event_with_the_rides_current_key()
    {
        var ride = await WaitingRide();

        var ghost = await App.PostPartnerEvent("first", Event("accepted", "bk_ghost", key: ride.IdempotencyKey));

        Assert.Equal(HttpStatusCode.OK, ghost.StatusCode);
        var now = (await App.Ride(ride.Id))!;
        Assert.Equal((RideStatus.Accepted, "first", "bk_ghost"), (now.Status, now.Partner, now.PartnerBookingId));
    }

    [Fact]
    public async Task An_event_under_a_key_the_ride_gave_up_cancels_that_rides_extra_booking_only()
    {
        var ride = await BookedRide();
        var other = await BookedRide();
        var givenUp = ride.IdempotencyKey;
        await App.PostPartnerEvent("first", Event("no_driver", ride.PartnerBookingId!, key: givenUp));
        var rebooked = await App.RideWhen(ride.Id, r => r is { Status: RideStatus.Booked, Partner: "second" });
        Assert.NotEqual(givenUp, rebooked.IdempotencyKey);

        // The first partner books again under the old key (and names the other ride's code): one booking too many.
        var late = await App.PostPartnerEvent("first", Event("accepted", "bk_second_try", reference: other.BookingCode, key: givenUp));

        Assert.Equal(HttpStatusCode.OK, late.StatusCode);
        // Given up (the no_driver) and cancelled (the extra booking): both this ride's, at this partner.
        var dead = await App.ColumnAsync<(string BookingId, string RideId)>("SELECT booking_id, ride_id FROM dead_bookings;");
        Assert.Equal(new[] { (ride.PartnerBookingId!, ride.Id), ("bk_second_try", ride.Id) }.Order(), dead.Order());
        Assert.Contains($"Ride {ride.Id}: first holds an extra booking; cancelling it", App.Logs.AllText);
        var now = (await App.Ride(ride.Id))!;
        Assert.Equal((RideStatus.Booked, "second"), (now.Status, now.Partner));
        var untouched = (await App.Ride(other.Id))!;
        Assert.Equal((RideStatus.Booked, other.PartnerBookingId), (untouched.Status, untouched.PartnerBookingId));
        Assert.False(First.Bookings.Single(b => b.BookingId == other.PartnerBookingId).Cancelled);
    }
}
