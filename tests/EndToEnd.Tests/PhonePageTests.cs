using Microsoft.Playwright;

namespace Alice.EndToEnd.Tests;

/// <summary>The development phone page in a real headless Chromium, against the running service.</summary>
[Collection(BrowserCollection.Name)]
public class PhonePageTests(RunningService service, Chromium chromium) : BrowserTest(chromium), IClassFixture<RunningService>
{
    [Fact]
    public async Task On_a_phone_sized_screen_a_call_from_the_page_hears_a_code_that_reaches_the_partner()
    {
        var page = await NewPageAsync(new() { ViewportSize = new() { Width = 390, Height = 844 } });
        await page.GotoAsync($"{service.DispatchUrl}/dev/phone");
        await Assertions.Expect(page.Locator("#campus option")).ToHaveCountAsync(1);

        await page.ClickAsync("#call");
        await Assertions.Expect(page.Locator("#status")).ToHaveTextAsync("Alice is waiting for a key.");
        await page.ClickAsync("text=Press nothing");
        await Assertions.Expect(page.Locator("#transcript")).ToContainTextAsync("Où êtes-vous");
        await page.GetByLabel("Key 2").ClickAsync();

        var codeLine = page.Locator("#transcript li", new() { HasTextString = "Votre code est" }).First;
        await Assertions.Expect(codeLine).ToBeVisibleAsync();
        var code = string.Concat((await codeLine.TextContentAsync())!.Where(char.IsAsciiDigit));
        Assert.Equal(4, code.Length);
        await PartnerLedger.WaitForAsync(service.PartnerUrl, code);

        // Nothing on the page is wider than the screen.
        var overflow = await page.EvaluateAsync<bool>("document.documentElement.scrollWidth > window.innerWidth");
        Assert.False(overflow);
        Directory.CreateDirectory(Path.Combine(Repo.Root, "TestResults"));
        await page.ScreenshotAsync(new() { Path = Path.Combine(Repo.Root, "TestResults", "dev-phone.png"), FullPage = true });
    }

    [Fact]
    public async Task The_keypad_is_disabled_until_alice_waits_for_a_key()
    {
        var page = await NewPageAsync();
        await page.GotoAsync($"{service.DispatchUrl}/dev/phone");
        await Assertions.Expect(page.GetByLabel("Key 1")).ToBeDisabledAsync();
        await page.ClickAsync("#call");
        await Assertions.Expect(page.GetByLabel("Key 1")).ToBeEnabledAsync();
        await Assertions.Expect(page.Locator("#call")).ToBeDisabledAsync();
    }
}
