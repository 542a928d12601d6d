using Microsoft.Extensions.DependencyInjection;
using Alice.Dispatch.Rides;
using Alice.Dispatch.Tests.Support;

namespace Alice.Dispatch.Tests;

/// <summary>
/// A taxi partner without an API (Partners:Providers:N:Mode = Console) gets its bookings on Alice's page:
/// nobody misses one, because its dispatch phone rings when a booking waits unaccepted, and the ride moves on
/// to the next partner when its time is up, as for an API partner.
/// </summary>
public class ConsolePartnerTests
{
    internal const string DispatchPhone = "+32470000301";

    /// <summary>A console partner first ("desk"), then the simulated API partner given.</summary>
    internal static Dictionary<string, string?> ConsoleFirst(PartnerSimulatorHost api, double acceptWithin = 1, double budget = 4) => new()
    {
        ["Partners:Providers:0:Name"] = "desk",
        ["Partners:Providers:0:Mode"] = "Console",
        ["Partners:Providers:0:BaseUrl"] = "",
        ["Partners:Providers:0:Secret"] = "",
        ["Partners:Providers:0:DispatchPhone"] = DispatchPhone,
        ["Partners:Providers:0:AcceptWithinSeconds"] = acceptWithin.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Partners:Providers:0:Account"] = "alice-tests",
        ["Partners:Providers:1:Name"] = api.Name,
        ["Partners:Providers:1:BaseUrl"] = api.BaseUrl,
        ["Partners:Providers:1:Secret"] = PartnerSimulatorHost.Secret,
        ["Partners:Providers:1:Account"] = "alice-tests",
        ["Partners:BudgetPerPartnerSeconds"] = budget.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Partners:HandOverAfterSeconds"] = "120",
    };

    [Fact]
    public async Task A_console_partner_that_never_accepts_has_its_phone_rung_once_then_the_ride_moves_to_the_api_partner_once()
    {
        await using var api = new PartnerSimulatorHost("fleet");
        await api.InitializeAsync();
        await using var twilio = await TwilioSimulatorHost.StartAsync();
        await using var app = new DispatchApp([api], settings: new(ConsoleFirst(api).Concat(twilio.Settings)));

        var id = await app.BookRide();
        var offered = await app.RideWhen(id, r => r.Status == RideStatus.Booked && r.Partner == "desk", TimeSpan.FromSeconds(5));
        Assert.StartsWith("page-", offered.PartnerBookingId);
        Assert.Empty(api.Bookings); // no HTTP call for the console partner

        var rung = await twilio.SentWhen(sent => sent.Count(s => s.To == DispatchPhone) == 2);
        Assert.Equal(["call", "message"], rung.Where(s => s.To == DispatchPhone).Select(s => s.Kind).Order());
        Assert.All(rung.Where(s => s.To == DispatchPhone), s => Assert.Equal(DispatchApp.AlmaHotline, s.From));
        Assert.Contains(offered.BookingCode, rung.Single(s => s.To == DispatchPhone && s.Kind == "message").Text);

        var moved = await app.RideWhen(id, r => r.Status == RideStatus.Booked && r.Partner == "fleet");
        Assert.Equal(["desk", "fleet"], moved.PartnersAsked.Names);
        // Exactly once at each: the watch is over (the ride holds another booking now), and nothing came twice.
        await Eventually.True(async () => await app.ScalarAsync("SELECT COUNT(*) FROM qrtz_job_details WHERE job_group = 'console-offer'") == 0,
            "the offer's watch has ended", TimeSpan.FromSeconds(10));
        Assert.Equal(2, twilio.Outbox.All.Count(s => s.To == DispatchPhone));
        Assert.Single(api.Bookings, b => b.Reference == offered.BookingCode);
        Assert.Equal(1, await app.ScalarAsync("SELECT COUNT(*) FROM dead_bookings WHERE partner = 'desk'"));
    }

    /// <summary>
    /// A booking on the page is offered, not confirmed: nobody at the taxi company may have seen it yet. The caller
    /// keeps waiting on the hold until a dispatcher accepts it, then hears the confirmation with the car.
    /// </summary>
    [Fact]
    public async Task A_caller_is_told_the_taxi_is_confirmed_only_once_the_dispatcher_accepts_it_on_the_page()
    {
        await using var api = new PartnerSimulatorHost("fleet");
        await api.InitializeAsync();
        await using var app = new DispatchApp([api], settings: ConsoleFirst(api, acceptWithin: 50, budget: 60));
        var callSid = "CA" + Guid.NewGuid().ToString("N");
        Assert.Equal(System.Net.HttpStatusCode.OK, (await app.PostWebhook("/twilio/pickup?lang=fr&try=1", DispatchApp.TwilioForm(callSid, digits: "1"))).StatusCode);
        var ride = await app.RideWhen((await app.RidesInDatabase()).Single().Id, r => r.Status == RideStatus.Booked && r.Partner == "desk");

        var held = await (await app.PostWebhook("/twilio/wait?lang=fr&n=2", DispatchApp.TwilioForm(callSid))).Content.ReadAsStringAsync();
        Assert.DoesNotContain("confirmé", held);
        Assert.Contains("<Play>", held);
        // The caller asks for the car by text: nothing is texted while the booking is only offered.
        var caller = CampusNumbers.CallerFor(callSid);
        Assert.Equal(System.Net.HttpStatusCode.OK, (await app.PostWebhook("/twilio/code?lang=fr", DispatchApp.TwilioForm(callSid, digits: "2"))).StatusCode);
        var messenger = app.Services.GetRequiredService<Messages.CarMessenger>();
        await messenger.RunAsync(CancellationToken.None);
        var twilio = await TwilioSimulatorHost.Shared;
        Assert.DoesNotContain(twilio.Outbox.All, m => m.To == caller);

        using var desk = await PartnerDeskTests.DispatcherAsync(app, "desk");
        var page = await desk.Client.GetStringAsync("/partner");
        var accepted = await desk.PostAsync($"/partner/bookings/{Uri.EscapeDataString(ride.PartnerBookingId!)}/accept", page,
            new() { ["eta"] = "6", ["car"] = "Skoda Octavia grise", ["plate"] = "1-XYZ-321" });
        Assert.Equal(System.Net.HttpStatusCode.Redirect, accepted.StatusCode);

        var confirmed = await (await app.PostWebhook("/twilio/wait?lang=fr&n=3", DispatchApp.TwilioForm(callSid))).Content.ReadAsStringAsync();
        Assert.Contains("Votre taxi est confirmé.", confirmed);
        Assert.Contains("Skoda Octavia grise, 1-XYZ-321", confirmed);
        Assert.Contains("6 minutes", confirmed);
        await messenger.RunAsync(CancellationToken.None);
        Assert.Contains(twilio.Outbox.All, m => m.To == caller && m.Text.Contains("Skoda Octavia grise"));
    }

    /// <summary>A console partner has no secret (its page is its only way in): its events endpoint knows no such partner.</summary>
    [Fact]
    public async Task A_console_partner_s_events_endpoint_refuses_even_an_event_signed_with_its_empty_secret()
    {
        await using var api = new PartnerSimulatorHost("fleet");
        await api.InitializeAsync();
        await using var app = new DispatchApp([api], settings: ConsoleFirst(api, acceptWithin: 50, budget: 60));
        var ride = await app.RideWhen(await app.BookRide(), r => r.Status == RideStatus.Booked && r.Partner == "desk");

        var forged = await app.PostPartnerEvent("desk", new { eventId = "forged", bookingId = ride.PartnerBookingId, type = "dropped_off" }, secret: "");
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, forged.StatusCode);
        Assert.Equal(RideStatus.Booked, (await app.Ride(ride.Id))!.Status);
    }
}
