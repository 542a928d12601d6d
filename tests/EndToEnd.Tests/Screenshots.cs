using Microsoft.Playwright;

namespace Alice.EndToEnd.Tests;

/// <summary>Pictures of a page for the docs: at a desktop's width and at a phone's (390×844), saved under TestResults.</summary>
internal static class Screenshots
{
    public static async Task SaveAsync(IPage page, string name)
    {
        Directory.CreateDirectory(Path.Combine(Repo.Root, "TestResults"));
        var size = page.ViewportSize!;
        await page.ScreenshotAsync(new() { Path = Path.Combine(Repo.Root, "TestResults", $"{name}.png"), FullPage = true });
        await page.SetViewportSizeAsync(390, 844);
        await page.ScreenshotAsync(new() { Path = Path.Combine(Repo.Root, "TestResults", $"{name}-phone.png"), FullPage = true });
        await page.SetViewportSizeAsync(size.Width, size.Height);
    }
}
