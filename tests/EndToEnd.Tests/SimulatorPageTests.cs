using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace Alice.EndToEnd.Tests;

/// <summary>The partner simulator's page, in Chromium: faults set there take effect at once; each ride's latest state.</summary>
[Collection(BrowserCollection.Name)]
public class SimulatorPageTests(RunningService service, Chromium chromium) : BrowserTest(chromium), IClassFixture<RunningService>
{
    [Fact]
    public async Task Faults_set_on_the_page_are_in_force_at_once()
    {
        var page = await NewPageAsync(new() { ViewportSize = new() { Width = 390, Height = 844 } });
        await page.GotoAsync(service.PartnerUrl);
        await page.FillAsync("input[name=failNext]", "3");
        await page.FillAsync("input[name=latencyMs]", "250");
        await page.CheckAsync("input[name=duplicateEvents]");
        await page.ClickAsync("text=Apply");
        await Assertions.Expect(page.Locator("#state")).ToHaveTextAsync("applied");

        using var http = new HttpClient();
        var faults = await http.GetFromJsonAsync<JsonElement>($"{service.PartnerUrl}/faults");
        Assert.Equal(3, faults.GetProperty("failNext").GetInt32());
        Assert.Equal(250, faults.GetProperty("latencyMs").GetInt32());
        Assert.True(faults.GetProperty("duplicateEvents").GetBoolean());
        Assert.Equal(100, faults.GetProperty("acceptedAfterMs").GetInt32()); // the run's own timings are kept
    }

    [Fact]
    public async Task On_a_phone_each_ride_shows_once_with_its_latest_state_and_nothing_is_wider_than_the_screen()
    {
        using (var reset = new HttpClient()) // whatever another test set: no fault, the run's quick timings
            (await reset.PostAsync($"{service.PartnerUrl}/faults", new StringContent(
                """{"acceptedAfterMs":100,"driverArrivedAfterMs":300,"onBoardAfterMs":500,"droppedOffAfterMs":700}""", null, "application/json"))).EnsureSuccessStatusCode();
        using var http = await new HttpClient().WithPageTokenAsync(service.DispatchUrl);
        var transcript = await (await http.PostAsync($"{service.DispatchUrl}/dev/phone/run?keys=-1", null)).Content.ReadAsStringAsync();
        var code = string.Concat(Regex.Match(transcript, @"Votre code est : (\d), (\d), (\d), (\d)").Groups.Values.Skip(1).Select(g => g.Value));
        Assert.True(code.Length == 4, transcript);
        var booking = await PartnerLedger.WaitForAsync(service.PartnerUrl, code);
        await Eventually.True(async () => await service.RideStatusAsync(booking.IdempotencyKey) == "dropped_off",
            $"the ride {code} is dropped off", TimeSpan.FromSeconds(10));

        var page = await NewPageAsync(new() { ViewportSize = new() { Width = 390, Height = 844 } });
        await page.GotoAsync(service.PartnerUrl);
        var ride = page.Locator("#rides tbody tr", new() { HasTextString = code });
        await Assertions.Expect(ride).ToHaveCountAsync(1);
        await Assertions.Expect(ride.Locator("td[data-label='State']")).ToHaveTextAsync("dropped off");
        await Assertions.Expect(ride.Locator("td[data-label='State']")).ToBeVisibleAsync();
        Assert.False(await page.EvaluateAsync<bool>("document.documentElement.scrollWidth > window.innerWidth"), "the page is wider than the screen");
    }
}
