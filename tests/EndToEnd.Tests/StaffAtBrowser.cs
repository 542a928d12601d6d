using System.Text.RegularExpressions;
using Alice.Signatures;
using Microsoft.Playwright;

namespace Alice.EndToEnd.Tests;

/// <summary>A member of staff at the browser, in French: enrolled from the link an invitation printed, then logged in with a password and the app's code.</summary>
internal static partial class StaffAtBrowser
{
    [GeneratedRegex(@"https?://\S+/account/enrol\?\S+")]
    public static partial Regex EnrolmentLink();

    /// <summary>Follows the link the command printed, scans the secret (read off the page) and types the app's code; the secret.</summary>
    public static async Task<string> EnrolAsync(IPage page, string service, string commandOutput, string password)
    {
        var link = EnrolmentLink().Match(commandOutput).Value;
        Assert.StartsWith(service, link);
        await page.GotoAsync(link);
        var secret = (await page.Locator("#secret").TextContentAsync())!;
        await page.GetByLabel("Mot de passe").FillAsync(password);
        await page.GetByLabel("Code de l'application").FillAsync(Totp.Code(secret, DateTimeOffset.UtcNow));
        await page.GetByRole(AriaRole.Button, new() { Name = "Continuer" }).ClickAsync();
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Vos codes de secours");
        await Assertions.Expect(page.Locator(".codes li")).ToHaveCountAsync(10);
        return secret;
    }

    public static async Task LogInAsync(IPage page, string service, string name, string password, string secret)
    {
        await page.GotoAsync($"{service}/account/login");
        await page.GetByLabel("Identifiant").FillAsync(name);
        await page.GetByLabel("Mot de passe").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Continuer" }).ClickAsync();
        await page.GetByLabel("Le code à 6 chiffres").FillAsync(Totp.Code(secret, DateTimeOffset.UtcNow));
        await page.GetByRole(AriaRole.Button, new() { Name = "Connexion" }).ClickAsync();
    }
}
