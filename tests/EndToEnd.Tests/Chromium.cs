using Microsoft.Playwright;

namespace Alice.EndToEnd.Tests;

/// <summary>
/// Debian's Chromium, headless, driven by Playwright (its own browser download cannot work here): one for
/// every browser test. Starting it and Playwright's driver costs a second or two of CPU each time, which
/// on a 2-core machine is time taken from every other test running beside it.
/// </summary>
public sealed class Chromium : IAsyncLifetime
{
    private IPlaywright _playwright = null!;
    public IBrowser Browser { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        });
    }

    public async Task DisposeAsync()
    {
        await Browser.DisposeAsync();
        _playwright.Dispose();
    }
}

/// <summary>The browser tests share one Chromium, and take turns with it.</summary>
[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<Chromium>
{
    public const string Name = "Browser";
}

/// <summary>
/// A test with pages in the shared Chromium (its class is in <see cref="BrowserCollection"/>). Each page is a browser context of its own (no cookie or
/// storage is shared between tests), closed when the test ends, so a page that polls stops with it.
/// </summary>
public abstract class BrowserTest(Chromium chromium) : IAsyncLifetime
{
    private readonly List<IPage> _pages = [];

    protected async Task<IPage> NewPageAsync(BrowserNewPageOptions? options = null)
    {
        var page = await chromium.Browser.NewPageAsync(options);
        _pages.Add(page);
        return page;
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public virtual async Task DisposeAsync()
    {
        foreach (var page in _pages) await page.Context.CloseAsync();
    }
}
