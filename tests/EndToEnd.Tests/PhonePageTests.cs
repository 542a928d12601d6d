using System.Text.Json;
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
        await Assertions.Expect(page.Locator("#campus input[type=radio]")).ToHaveCountAsync(1);

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
    }

    [Fact]
    public async Task The_keypad_is_disabled_until_alice_waits_for_a_key()
    {
        var page = await NewPageAsync();
        await page.GotoAsync($"{service.DispatchUrl}/dev/phone");
        await Assertions.Expect(page.GetByLabel("Key 1")).ToBeDisabledAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Hang up" })).ToBeDisabledAsync();
        await page.ClickAsync("#call");
        await Assertions.Expect(page.GetByLabel("Key 1")).ToBeEnabledAsync();
        await Assertions.Expect(page.Locator("#call")).ToBeDisabledAsync();
    }

    [Fact]
    public async Task Until_the_numbers_to_dial_have_come_call_and_send_wait_instead_of_failing_silently()
    {
        var page = await NewPageAsync();
        // The list of numbers held back, as a slow service would: a click meanwhile did nothing and said nothing.
        var release = new TaskCompletionSource();
        await page.RouteAsync("**/dev/phone/campuses", async route =>
        {
            await release.Task;
            await route.ContinueAsync();
        });
        await page.GotoAsync($"{service.DispatchUrl}/dev/phone");
        await Assertions.Expect(page.Locator("#call")).ToBeDisabledAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Send" })).ToBeDisabledAsync();

        release.SetResult();
        await Assertions.Expect(page.Locator("#campus input[type=radio]")).ToHaveCountAsync(1);
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Send" })).ToBeEnabledAsync();
        await page.ClickAsync("#call");
        await Assertions.Expect(page.Locator("#status")).ToHaveTextAsync("Alice is waiting for a key.");
    }

    [Fact]
    public async Task Hang_up_ends_the_call_as_twilio_reports_a_caller_hanging_up()
    {
        var endedBefore = await EndedCallsAsync();
        var page = await NewPageAsync();
        await page.GotoAsync($"{service.DispatchUrl}/dev/phone");
        await page.ClickAsync("#call");
        await Assertions.Expect(page.Locator("#status")).ToHaveTextAsync("Alice is waiting for a key.");

        await page.GetByRole(AriaRole.Button, new() { Name = "Hang up" }).ClickAsync();

        await Assertions.Expect(page.Locator("#status")).ToHaveTextAsync("Call ended.");
        await Assertions.Expect(page.Locator("#transcript li").Last).ToHaveTextAsync("call ended");
        await Assertions.Expect(page.Locator("#transcript li.caller").Last).ToHaveTextAsync("You hung up.");
        await Assertions.Expect(page.GetByLabel("Key 1")).ToBeDisabledAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Hang up" })).ToBeDisabledAsync();
        await Assertions.Expect(page.Locator("#call")).ToBeEnabledAsync();
        // The service had the status callback ("completed") and recorded the call's end.
        Assert.Equal(endedBefore + 1, await EndedCallsAsync());
    }

    [Fact]
    public async Task Each_line_is_in_its_own_language_without_the_voices_name_and_the_transcript_only_grows()
    {
        var page = await NewPageAsync();
        await page.GotoAsync($"{service.DispatchUrl}/dev/phone");
        var started = page.WaitForResponseAsync(r => r.Url.EndsWith("/dev/phone/calls"));
        await page.ClickAsync("#call");
        var voices = JsonDocument.Parse(await (await started).TextAsync()).RootElement.GetProperty("lines").EnumerateArray()
            .Select(l => l.GetProperty("voice").GetString()).OfType<string>().Distinct().ToList();
        Assert.NotEmpty(voices);
        await Assertions.Expect(page.Locator("#status")).ToHaveTextAsync("Alice is waiting for a key.");
        // Every node the list loses is counted; the first line is remembered as the node it is.
        await page.EvaluateAsync("""
            () => {
              window.firstLine = document.querySelector('#transcript li');
              window.removed = 0;
              new MutationObserver(records => records.forEach(r => window.removed += r.removedNodes.length))
                .observe(document.getElementById('transcript'), { childList: true, subtree: true, characterData: true });
            }
            """);

        await page.ClickAsync("text=Press nothing");
        await Assertions.Expect(page.Locator("#transcript")).ToContainTextAsync("Où êtes-vous");
        await page.GetByLabel("Key 0").ClickAsync();
        await Assertions.Expect(page.Locator("#transcript li.caller").Last).ToHaveTextAsync("You pressed 0.");

        foreach (var language in new[] { "fr", "nl", "en" })
            Assert.True(await page.Locator($"#transcript li.alice[lang={language}]").CountAsync() > 0, $"no line in {language}");
        Assert.Equal(0, await page.Locator("#transcript li.alice:not([lang])").CountAsync());
        var lines = await page.Locator("#transcript li").AllTextContentsAsync();
        Assert.DoesNotContain(lines, l => voices.Any(v => l.Contains(v)) || l.StartsWith("Alice ("));
        Assert.Equal(0, await page.EvaluateAsync<int>("window.removed"));
        Assert.True(await page.EvaluateAsync<bool>("window.firstLine === document.querySelector('#transcript li')"), "the transcript was rebuilt");
    }

    [Fact]
    public async Task On_a_phone_what_alice_says_is_above_the_keypad_both_in_sight_and_the_campus_name_whole()
    {
        var page = await NewPageAsync(new() { ViewportSize = new() { Width = 390, Height = 844 } });
        await page.GotoAsync($"{service.DispatchUrl}/dev/phone");
        var campus = page.Locator("#campus label");
        await Assertions.Expect(campus).ToContainTextAsync("UCLouvain Alma (Woluwe-Saint-Lambert)");
        Assert.True(await campus.EvaluateAsync<bool>("l => l.scrollWidth <= l.clientWidth && l.getBoundingClientRect().right <= window.innerWidth"),
            "the campus's name is cut");
        await page.ClickAsync("#call");
        await page.ClickAsync("text=Press nothing");
        await Assertions.Expect(page.Locator("#transcript")).ToContainTextAsync("Où êtes-vous"); // the key once the menu is heard
        await page.GetByLabel("Key 0").ClickAsync();
        await Assertions.Expect(page.Locator("#transcript li.caller").Last).ToHaveTextAsync("You pressed 0.");

        var said = (await page.Locator("#transcript").BoundingBoxAsync())!;
        var keypad = (await page.Locator("#keypad").BoundingBoxAsync())!;
        Assert.True(said.Y + said.Height <= keypad.Y, $"what Alice says ({said.Y}–{said.Y + said.Height}) is not above the keypad ({keypad.Y})");
        Assert.True(said.Y >= 0 && keypad.Y + keypad.Height <= 844, $"what Alice says ({said.Y}) and the keypad (down to {keypad.Y + keypad.Height}) are not both on an 844 px screen");
        Assert.True(await page.Locator("#transcript li").Last.EvaluateAsync<bool>(
            "li => { const box = li.getBoundingClientRect(), list = li.parentElement.getBoundingClientRect(); return box.bottom <= list.bottom + 1 && box.top >= list.top - 1; }"),
            "the latest line is scrolled out of sight");
        Assert.False(await page.EvaluateAsync<bool>("document.documentElement.scrollWidth > window.innerWidth"));

        // The screenshots the docs show, at a phone's width and at a desktop's.
        Directory.CreateDirectory(Path.Combine(Repo.Root, "TestResults"));
        await page.ScreenshotAsync(new() { Path = Path.Combine(Repo.Root, "TestResults", "dev-phone-phone.png"), FullPage = true });
        await page.SetViewportSizeAsync(1280, 900);
        await page.ScreenshotAsync(new() { Path = Path.Combine(Repo.Root, "TestResults", "dev-phone-desktop.png"), FullPage = true });
    }

    [Fact]
    public async Task Axe_finds_no_violation_on_the_phone_page_in_a_call_at_both_widths_in_light_and_dark()
    {
        var page = await NewPageAsync();
        await page.GotoAsync($"{service.DispatchUrl}/dev/phone");
        await page.ClickAsync("#call");
        await page.ClickAsync("text=Press nothing");
        await Assertions.Expect(page.Locator("#transcript")).ToContainTextAsync("Où êtes-vous");
        var found = await Axe.EverywhereAsync(page, "the development phone");
        Assert.True(found.Count == 0, string.Join("\n", found));
    }

    private async Task<long> EndedCallsAsync()
    {
        await using var db = service.Database.Open();
        return await Dapper.SqlMapper.ExecuteScalarAsync<long>(db, "SELECT COUNT(*) FROM ended_calls;");
    }
}
