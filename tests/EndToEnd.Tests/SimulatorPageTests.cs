using System.Net.Http.Json;
using System.Text.Json;

namespace Alice.EndToEnd.Tests;

/// <summary>The partner simulator's page, in Chromium: faults set there take effect at once.</summary>
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
        await Microsoft.Playwright.Assertions.Expect(page.Locator("#state")).ToHaveTextAsync("applied");

        using var http = new HttpClient();
        var faults = await http.GetFromJsonAsync<JsonElement>($"{service.PartnerUrl}/faults");
        Assert.Equal(3, faults.GetProperty("failNext").GetInt32());
        Assert.Equal(250, faults.GetProperty("latencyMs").GetInt32());
        Assert.True(faults.GetProperty("duplicateEvents").GetBoolean());
        Assert.Equal(100, faults.GetProperty("acceptedAfterMs").GetInt32()); // the run's own timings are kept
    }
}
