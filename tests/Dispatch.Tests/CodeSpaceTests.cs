using Alice.Dispatch.Campuses;
using Alice.Dispatch.Rides;
using Alice.Dispatch.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Alice.Dispatch.Tests;

/// <summary>The 4,608 booking codes, all held by active rides: the next caller reaches a person, a caller with a ride keeps it.</summary>
public class CodeSpaceTests
{
    [Fact]
    public async Task When_every_code_is_held_by_an_active_ride_the_next_caller_is_bridged_to_a_person()
    {
        await using var partner = new PartnerSimulatorHost();
        await partner.InitializeAsync();
        await using var app = new DispatchApp(partner);
        var store = app.Services.GetRequiredService<RideStore>();
        var everyCode = Enumerable.Range(0, BookingCodes.All.Count)
            .Select(i => new RideRequest($"fill-{i}", "alma", "alma-metro", Languages.French, "simulator", TimeSpan.FromMinutes(2))).ToList();

        var written = await store.InsertOrGetAsync(everyCode, CancellationToken.None);
        Assert.Equal(BookingCodes.All.Order(), written.Select(w => w.Ride!.BookingCode).Order());

        var response = await app.PostWebhook("/twilio/pickup?lang=en&try=1", DispatchApp.TwilioForm("CA" + Guid.NewGuid().ToString("N"), digits: "1"));
        var twiml = await response.Content.ReadAsStringAsync();
        Assert.Equal(200, (int)response.StatusCode);
        Assert.Contains($"<Number>{DispatchApp.AlmaHumanLine}</Number>", twiml);
        Assert.Contains("BookingCodesExhaustedException", app.Logs.AllText);

        // A caller who already has a ride still finds it when Twilio retries the key press.
        var retried = await store.InsertOrGetAsync([everyCode[42]], CancellationToken.None);
        Assert.Equal((written[42].Ride!.Id, false), (retried[0].Ride?.Id, retried[0].Created));
    }
}
