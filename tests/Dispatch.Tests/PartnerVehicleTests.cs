using System.Net;
using Alice.Dispatch.DevPhone;
using Alice.Dispatch.Rides;
using Alice.Dispatch.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Alice.Dispatch.Tests;

/// <summary>
/// The partner's words reach the caller: the car is spoken on the call and texted. A car the call cannot
/// carry, that says what the ride is for, or that is far too long is dropped, not the event: the ride is
/// confirmed all the same, the caller hears the confirmation without the car, and the log says what kind of
/// fault was dropped, never the text. An arrival time out of all reason is dropped the same way.
/// </summary>
public class PartnerVehicleTests
{
    private const string Marker = "Qzx";

    /// <summary>Cars no caller may hear or read: a control character (XML cannot carry it), one XML forbids, a revealing word, an oversized text.</summary>
    public static TheoryData<string, string> BadCars => new()
    {
        { $"White Toyota{Marker}\u0001Prius", "1-ABC-234" },
        { $"White Toyota{Marker}\uFFFEPrius", "1-ABC-234" },
        { $"{Marker} Taxi victimes Prius", "1-ABC-234" },
        { $"White Toyota Prius {Marker}{new string('Z', 300)}", "1-ABC-234" },
        { "White Toyota Prius", $"1-ABC-{Marker}\u202E432" },
    };

    private static object Event(Ride ride, string type, int? eta, string description, string plate) => new
    {
        eventId = Guid.NewGuid().ToString(), idempotencyKey = ride.IdempotencyKey, bookingId = ride.PartnerBookingId, reference = ride.BookingCode,
        type, etaMinutes = eta, vehicle = new { description, plate }, at = DateTimeOffset.UtcNow,
    };

    [Theory]
    [MemberData(nameof(BadCars))]
    public async Task A_caller_on_the_line_hears_the_confirmation_without_a_car_that_fails_its_checks_and_is_not_handed_over(string description, string plate)
    {
        await using var fleet = await Fleet.StartAsync(partners: 1, budgetPerPartnerSeconds: 30, handOverAfterSeconds: 60);
        var app = fleet.App;
        fleet.Partners[0].Faults.Set(new() { LatencyMs = 800 });
        var call = app.Call();
        call.PauseScale = 1;
        var playing = call.PlayAsync("-3");
        var ride = await app.RideWhen(await app.RideOf(call), r => r.Status == RideStatus.Booked);

        var answer = await app.PostPartnerEvent("first", Event(ride, "accepted", 11, description, plate));
        await playing;

        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        var now = (await app.Ride(ride.Id))!;
        Assert.Equal((RideStatus.Accepted, (int?)11, (string?)null), (now.Status, now.EtaMinutes, now.Vehicle));
        Assert.Contains(call.Transcript, l => l.Text == "Votre taxi est confirmé.");
        Assert.Contains(call.Transcript, l => l.Text == "Il arrive dans environ 11 minutes.");
        Assert.DoesNotContain(call.Transcript, l => l.Text.StartsWith("La voiture") || l.Text.Contains(Marker));
        Assert.Contains(app.Logs.Entries, e => e.Contains("first sent an event whose vehicle") && e.Contains("applied without it"));
        Assert.DoesNotContain(Marker, app.Logs.AllText);
    }

    [Theory]
    [MemberData(nameof(BadCars))]
    public async Task A_caller_who_asked_for_the_car_by_text_is_texted_the_next_good_car_never_the_bad_one(string description, string plate)
    {
        await using var partner = new PartnerSimulatorHost();
        await partner.InitializeAsync();
        await using var twilio = await TwilioSimulatorHost.StartAsync();
        await using var app = new DispatchApp(partner, settings: new(twilio.Settings) { ["Messages:SendEverySeconds"] = "1" });
        partner.Faults.Set(new() { LatencyMs = 1000 });
        var call = app.Call(from: "+32475123988");
        await call.StartAsync();
        await call.WaitAsync();
        await call.PressAsync('1');
        await call.PressAsync('2'); // the car by text, please
        var ride = await app.RideWhen(await app.RideOf(call), r => r.Status == RideStatus.Booked);
        await twilio.SentWhen(all => all.Count == 1); // confirmed, without a car yet
        // Recorded as sent too: a look of the job while the scheduled one is between sending and recording would
        // send it again (one instance's job never runs beside itself; this test's own look does).
        var consents = app.Services.GetRequiredService<Messages.SmsConsents>();
        await Eventually.True(async () => (await consents.AllAsync(default)).Single().TextedGeneration is not null, "the first message is recorded as sent");

        var bad = await app.PostPartnerEvent(partner.Name, Event(ride, "accepted", 6, description, plate));
        // A look of the message job now, while the bad car is the partner's last word: nothing to text yet.
        await app.Services.GetRequiredService<Messages.CarMessenger>().RunAsync(default);
        var good = await app.PostPartnerEvent(partner.Name, Event(ride, "driver_arrived", null, "Grey Skoda Octavia", "1-XYZ-987"));

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (bad.StatusCode, good.StatusCode));
        var sent = await twilio.SentWhen(all => all.Count == 2);
        Assert.Contains("Voiture : Grey Skoda Octavia, 1-XYZ-987.", sent[1].Text);
        Assert.All(sent, s => Assert.DoesNotContain(Marker, s.Text));
        Assert.All(sent, s => Assert.Null(Privacy.RevealingWords.In(s.Text)));
        Assert.DoesNotContain(Marker, app.Logs.AllText);
    }

    [Theory]
    [InlineData(-4)]
    [InlineData(100_000)]
    public async Task An_arrival_time_out_of_all_reason_is_dropped_and_the_event_applied(int eta)
    {
        await using var fleet = await Fleet.StartAsync(partners: 1, budgetPerPartnerSeconds: 30, handOverAfterSeconds: 60);
        var ride = await fleet.App.RideWhen(await fleet.App.BookRide(), r => r.Status == RideStatus.Booked);

        var answer = await fleet.App.PostPartnerEvent("first", Event(ride, "accepted", eta, "White Toyota Prius", "1-ABC-234"));

        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        var now = (await fleet.App.Ride(ride.Id))!;
        Assert.Equal((RideStatus.Accepted, ride.EtaMinutes, "White Toyota Prius, 1-ABC-234"), (now.Status, now.EtaMinutes, now.Vehicle));
        Assert.Contains(fleet.App.Logs.Entries, e => e.Contains("first sent an event whose etaMinutes") && e.Contains("applied without it"));
    }
}
