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
}
