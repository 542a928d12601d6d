using System.Net;
using System.Text;
using Alice.Dispatch.Centre;
using Alice.Dispatch.Partners;
using Alice.Dispatch.Rides;
using Alice.Dispatch.Tests.Support;
using Alice.Signatures;
using Dapper;
using Microsoft.Extensions.DependencyInjection;

namespace Alice.Dispatch.Tests;

/// <summary>POST /partners/{partner}/events: signed, deduplicated, never backwards, never a 500.</summary>
public class PartnerEventTests : IAsyncLifetime
{
    private Fleet _fleet = null!;
    private DispatchApp App => _fleet.App;

    public async Task InitializeAsync() => _fleet = await Fleet.StartAsync(partners: 2, budgetPerPartnerSeconds: 30, handOverAfterSeconds: 60);
    public async Task DisposeAsync() => await _fleet.DisposeAsync();

    private async Task<Ride> BookedRide() => await App.RideWhen(await App.BookRide(), r => r.Status == RideStatus.Booked);

    private static object Event(Ride ride, string type, string? eventId = null, int? eta = null) => new
    {
        eventId = eventId ?? Guid.NewGuid().ToString(),
        bookingId = ride.PartnerBookingId,
        reference = ride.BookingCode,
        type,
        etaMinutes = eta,
        vehicle = type == "accepted" ? new { description = "White Toyota Prius", plate = "1-ABC-234" } : null,
        at = DateTimeOffset.UtcNow,
    };

    [Fact]
    public async Task The_lifecycle_moves_the_ride_from_accepted_to_dropped_off()
    {
        var ride = await BookedRide();
        foreach (var type in new[] { "accepted", "driver_arrived", "passenger_on_board", "dropped_off" })
            Assert.Equal(HttpStatusCode.OK, (await App.PostPartnerEvent("first", Event(ride, type, eta: 6))).StatusCode);

        var now = (await App.Ride(ride.Id))!;
        Assert.Equal(RideStatus.DroppedOff, now.Status);
        Assert.Equal("White Toyota Prius, 1-ABC-234", now.Vehicle);
        Assert.Equal(6, now.EtaMinutes);
    }

    [Fact]
    public async Task A_caller_still_on_the_line_hears_the_car_and_plate_after_the_accepted_event()
    {
        _fleet.Partners[0].Faults.Set(new() { LatencyMs = 800 });
        var call = App.Call();
        call.PauseScale = 1;
        var playing = call.PlayAsync("-3");
        var ride = await App.RideWhen(await App.RideOf(call), r => r.Status == RideStatus.Booked);
        await App.PostPartnerEvent("first", Event(ride, "accepted", eta: 5));
        await playing;

        Assert.Contains(call.Transcript, l => l.Text == "La voiture : White Toyota Prius, 1-ABC-234.");
        Assert.Contains(call.Transcript, l => l.Text == "Il arrive dans environ 5 minutes.");
    }

    [Fact]
    public async Task A_replayed_or_duplicated_event_is_acknowledged_and_changes_nothing()
    {
        var ride = await BookedRide();
        var accepted = Event(ride, "accepted", eventId: "ev-dup", eta: 9);
        var first = await (await App.PostPartnerEvent("first", accepted)).Content.ReadAsStringAsync();
        var again = await App.PostPartnerEvent("first", accepted);

        Assert.Contains("\"applied\"", first);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Contains("\"duplicate\"", await again.Content.ReadAsStringAsync());
        Assert.Equal(RideStatus.Accepted, (await App.Ride(ride.Id))!.Status);
    }

    [Fact]
    public async Task Events_out_of_order_never_move_a_ride_backwards()
    {
        var ride = await BookedRide();
        await App.PostPartnerEvent("first", Event(ride, "passenger_on_board"));
        var late = await App.PostPartnerEvent("first", Event(ride, "accepted", eta: 3));
        await App.PostPartnerEvent("first", Event(ride, "driver_arrived"));

        Assert.Equal(HttpStatusCode.OK, late.StatusCode);
        var now = (await App.Ride(ride.Id))!;
        Assert.Equal(RideStatus.OnBoard, now.Status);
    }

    [Fact]
    public async Task A_forged_event_is_refused_with_401_and_changes_nothing()
    {
        var ride = await BookedRide();
        var forged = await App.PostPartnerEvent("first", Event(ride, "dropped_off"), secret: "not-the-partner-secret-0123456789-abcdef");
        var garbled = await App.PostPartnerEvent("first", Event(ride, "dropped_off"), signature: "t=1,v1=zz");
        var overflowing = await App.PostPartnerEvent("first", Event(ride, "dropped_off"), signature: $"t={long.MinValue + DateTimeOffset.UtcNow.ToUnixTimeSeconds()},v1=00");
        var missing = await App.PostPartnerEvent("first", Event(ride, "dropped_off"), signature: "");

        Assert.Equal(HttpStatusCode.Unauthorized, forged.StatusCode);
        Assert.Contains("X-Alice-Signature", await forged.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Unauthorized, garbled.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, overflowing.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, missing.StatusCode);
        Assert.Equal(RideStatus.Booked, (await App.Ride(ride.Id))!.Status);
    }

    [Fact]
    public async Task A_stale_event_outside_the_five_minute_window_is_refused_with_401()
    {
        var ride = await BookedRide();
        var stale = await App.PostPartnerEvent("first", Event(ride, "dropped_off"), timestamp: DateTimeOffset.UtcNow.AddMinutes(-6).ToUnixTimeSeconds());
        Assert.Equal(HttpStatusCode.Unauthorized, stale.StatusCode);
        Assert.Equal(RideStatus.Booked, (await App.Ride(ride.Id))!.Status);
    }

    [Fact]
    public async Task An_event_for_an_unknown_booking_gets_404()
    {
        var unknownBooking = await App.PostPartnerEvent("first", new { eventId = "x1", bookingId = "bk_nothing", reference = "9191", type = "accepted" });
        Assert.Equal(HttpStatusCode.NotFound, unknownBooking.StatusCode);
    }

    [Fact]
    public async Task An_unknown_partner_and_a_bad_signature_get_the_same_answer_byte_for_byte()
    {
        var ride = await BookedRide();
        var answers = new[]
        {
            await App.PostPartnerEvent("nobody", Event(ride, "dropped_off", eventId: "same")),
            await App.PostPartnerEvent("first", Event(ride, "dropped_off", eventId: "same"), secret: "not-the-partner-secret-0123456789-abcdef"),
            await App.PostPartnerEvent("first", Event(ride, "dropped_off", eventId: "same"), timestamp: DateTimeOffset.UtcNow.AddMinutes(-6).ToUnixTimeSeconds()),
            await App.PostPartnerEvent("first", Event(ride, "dropped_off", eventId: "same"), signature: ""),
        };

        var first = await answers[0].Content.ReadAsByteArrayAsync();
        Assert.Equal(HttpStatusCode.Unauthorized, answers[0].StatusCode);
        foreach (var answer in answers[1..])
        {
            Assert.Equal(HttpStatusCode.Unauthorized, answer.StatusCode);
            Assert.Equal(answers[0].Content.Headers.ContentType, answer.Content.Headers.ContentType);
            Assert.Equal(first, await answer.Content.ReadAsByteArrayAsync());
        }
        Assert.Equal(RideStatus.Booked, (await App.Ride(ride.Id))!.Status);
        // Logged as refusals on the events endpoint, without the partner name the path gave (in the message and
        // its values; the host's own request scope is not the refusal log's doing).
        var refusals = App.Logs.Entries.Where(l => l.Contains(nameof(RefusalLog)))
            .Select(l => string.Join(" | ", l.Split(" | ").Where(part => !part.StartsWith("scope=")))).ToList();
        Assert.Contains(refusals, l => l.Contains("Refused a request on /partners/*/events with a bad signature"));
        Assert.DoesNotContain(refusals, l => l.Contains("nobody") || l.Contains("same"));
    }

    [Fact]
    public async Task A_v1_only_event_is_accepted_during_the_partners_transition_and_refused_once_it_has_ended()
    {
        await using var app = new DispatchApp(_fleet.Partners, settings: new()
        {
            ["Partners:Providers:0:AcceptV1SignaturesUntil"] = DateTimeOffset.UtcNow.AddDays(30).ToString("O"),
            ["Partners:Providers:1:AcceptV1SignaturesUntil"] = DateTimeOffset.UtcNow.AddMinutes(-1).ToString("O"),
        });
        var ride = await app.RideWhen(await app.BookRide(), r => r is { Status: RideStatus.Booked, Partner: "first" });
        async Task<HttpResponseMessage> PostV1(string partner, object e)
        {
            var body = System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(e, new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web));
            return await app.PostSignedEvent($"/partners/{partner}/events", body, V1Signature.Create(PartnerSimulatorHost.Secret, DateTimeOffset.UtcNow.ToUnixTimeSeconds(), body));
        }

        var during = await PostV1("first", Event(ride, "accepted", eta: 4));
        var ended = await PostV1("second", Event(ride, "accepted", eta: 4));
        var signedV2 = await app.PostPartnerEvent("second", Event(ride, "accepted", eta: 4)); // the same partner, moved to v2

        Assert.Equal(HttpStatusCode.OK, during.StatusCode);
        Assert.Equal(RideStatus.Accepted, (await app.Ride(ride.Id))!.Status);
        Assert.Equal(HttpStatusCode.Unauthorized, ended.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, signedV2.StatusCode); // past the signature: second holds no such booking
    }

    [Fact]
    public async Task An_event_signed_for_one_partners_path_or_as_a_request_alice_sent_is_refused()
    {
        var ride = await BookedRide();
        var body = System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(Event(ride, "dropped_off"), new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web));
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var forFirst = AliceSignature.Create(PartnerSimulatorHost.Secret, now, DispatchApp.EventTarget("/partners/first/events"), body);
        var asAliceSent = AliceSignature.Create(PartnerSimulatorHost.Secret, now,
            DispatchApp.EventTarget("/partners/first/events") with { Direction = AliceSignature.Direction.AliceToPartner }, body);

        // Both partners share the test secret here: only the path in the signature tells them apart.
        Assert.Equal(HttpStatusCode.Unauthorized, (await App.PostSignedEvent("/partners/second/events", body, forFirst)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await App.PostSignedEvent("/partners/first/events", body, asAliceSent)).StatusCode);
        Assert.Equal(RideStatus.Booked, (await App.Ride(ride.Id))!.Status);
        Assert.Equal(HttpStatusCode.OK, (await App.PostSignedEvent("/partners/first/events", body, forFirst)).StatusCode); // the genuine one passes
    }

    [Theory]
    [InlineData("{not json")]
    [InlineData("[]")]
    [InlineData("{\"eventId\":\"e\",\"bookingId\":\"b\",\"type\":\"teleported\"}")]
    [InlineData("{\"bookingId\":\"b\",\"type\":\"accepted\"}")]
    [InlineData("{\"eventId\":\"e\",\"bookingId\":\"b\",\"type\":\"accepted\",\"etaMinutes\":\"soon\"}")]
    public async Task A_malformed_signed_event_gets_400(string body)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        var request = new HttpRequestMessage(HttpMethod.Post, "/partners/first/events") { Content = new ByteArrayContent(bytes) };
        request.Headers.Add(AliceSignature.Header, AliceSignature.Create(PartnerSimulatorHost.Secret, DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
            DispatchApp.EventTarget("/partners/first/events"), bytes));
        var response = await App.CreateClient().SendAsync(request);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task An_oversized_event_gets_413()
    {
        var response = await App.PostPartnerEvent("first", new { eventId = "big", bookingId = "b", type = "accepted", padding = new string('x', 70_000) });
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task No_driver_from_the_first_partner_books_the_ride_with_the_second()
    {
        var ride = await BookedRide();
        Assert.Equal("first", ride.Partner);
        await App.PostPartnerEvent("first", Event(ride, "no_driver"));

        var rebooked = await App.RideWhen(ride.Id, r => r is { Status: RideStatus.Booked, Partner: "second" });
        var second = Assert.Single(_fleet.Partners[1].Bookings, b => b.Reference == ride.BookingCode);
        Assert.Equal(ride.BookingCode, rebooked.BookingCode); // the caller's code still holds
        Assert.Equal($"{ride.Id}:1", second.IdempotencyKey);  // a rebooking is a new booking for every partner
    }

    [Fact]
    public async Task A_late_accepted_for_a_booking_already_cancelled_does_not_take_the_ride_back()
    {
        var ride = await BookedRide();
        var firstBooking = ride.PartnerBookingId;
        _fleet.Partners[1].Faults.Set(new() { DownUntil = DateTimeOffset.UtcNow.AddMinutes(5) }); // the ride will wait
        await App.PostPartnerEvent("first", Event(ride, "cancelled"));
        await App.RideWhen(ride.Id, r => r is { Status: RideStatus.Requested, TryingPartner: "second" });

        // The partner's accepted, sent before its cancellation, arrives last, while the ride waits (under its next key).
        var late = await App.PostPartnerEvent("first", new { eventId = Guid.NewGuid().ToString(), idempotencyKey = ride.IdempotencyKey, bookingId = firstBooking, reference = ride.BookingCode, type = "accepted", etaMinutes = 2 });

        Assert.Equal(HttpStatusCode.OK, late.StatusCode);
        var now = (await App.Ride(ride.Id))!;
        Assert.Equal(RideStatus.Requested, now.Status); // not "confirmed" with a cancelled booking
        Assert.Null(now.PartnerBookingId);

        _fleet.Partners[1].Faults.Set(new());
        await App.RideWhen(ride.Id, r => r is { Status: RideStatus.Booked, Partner: "second" });
    }

    [Fact]
    public async Task A_partner_giving_up_after_the_hand_over_time_is_rebooked_not_handed_over()
    {
        await using var fleet = await Fleet.StartAsync(partners: 2, budgetPerPartnerSeconds: 30, handOverAfterSeconds: 20);
        var ride = await fleet.App.RideWhen(await fleet.App.BookRide(), r => r.Status == RideStatus.Booked);
        // The hand-over time, counted from the call, has passed (moved into the past rather than waited for).
        await using (var db = fleet.App.Database.Open())
            await db.ExecuteAsync("UPDATE rides SET hand_over_at = created_at - 1 WHERE id = @Id;", new { ride.Id });

        await fleet.App.PostPartnerEvent("first", Event(ride, "no_driver"));

        var rebooked = await fleet.App.RideWhen(ride.Id, r => r.Status is RideStatus.Booked or RideStatus.NeedsPerson && r.Partner != "first");
        Assert.Equal(RideStatus.Booked, rebooked.Status);
        Assert.Equal("second", rebooked.Partner);
    }

    [Fact]
    public async Task The_last_partner_cancelling_hands_the_ride_to_a_person_with_an_alert()
    {
        var ride = await BookedRide();
        await App.PostPartnerEvent("first", Event(ride, "no_driver"));
        var second = await App.RideWhen(ride.Id, r => r is { Status: RideStatus.Booked, Partner: "second" });
        await App.PostPartnerEvent("second", Event(second, "cancelled"));

        await App.RideWhen(ride.Id, r => r.Status == RideStatus.NeedsPerson);
        Assert.Contains(ride.Id, (await App.Services.GetRequiredService<AlertStore>().OpenAlertsAsync(CancellationToken.None)).Select(a => a.RideId));
    }

    [Fact]
    public async Task A_cancellation_after_the_passenger_is_on_board_changes_nothing()
    {
        var ride = await BookedRide();
        await App.PostPartnerEvent("first", Event(ride, "passenger_on_board"));
        Assert.Equal(HttpStatusCode.OK, (await App.PostPartnerEvent("first", Event(ride, "cancelled"))).StatusCode);
        Assert.Equal(RideStatus.OnBoard, (await App.Ride(ride.Id))!.Status);
    }
}
