using System.Diagnostics;
using System.Text.Json;
using Microsoft.Playwright;

namespace Alice.EndToEnd.Tests;

/// <summary>
/// axe-core's accessibility rules run on a page as it is shown: its script (installed by infra/install-axe,
/// pinned in infra/axe) evaluated in the page, then <c>axe.run()</c>. Evaluated, not added as a script
/// element: the pages' content security policy allows no script but their own.
/// </summary>
internal static class Axe
{
    private static readonly Lazy<string> Script = new(Load, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Every violation on the page, one line each (rule, impact, the elements and why), none when it passes.</summary>
    public static async Task<IReadOnlyList<string>> ViolationsAsync(IPage page)
    {
        await page.EvaluateAsync(Script.Value);
        var violations = await page.EvaluateAsync<JsonElement>("""
            async () => (await axe.run(document, { resultTypes: ['violations'] })).violations.map(v =>
                `${v.id} (${v.impact}): ${v.nodes.map(n => n.target.join(' ') + ' — ' + n.failureSummary.replace(/\s+/g, ' ')).join(' | ')}`)
            """);
        return [.. violations.EnumerateArray().Select(v => v.GetString()!)];
    }

    /// <summary>
    /// Every violation on the page as it is now, at a desktop's width and a phone's, in light and in dark, each
    /// line saying where and what; the page is left light, at its size.
    /// </summary>
    public static async Task<IReadOnlyList<string>> EverywhereAsync(IPage page, string what)
    {
        var size = page.ViewportSize!;
        var found = new List<string>();
        foreach (var scheme in new[] { ColorScheme.Light, ColorScheme.Dark })
        {
            await page.EmulateMediaAsync(new() { ColorScheme = scheme });
            foreach (var (width, height) in new[] { (1280, 900), (390, 844) })
            {
                await page.SetViewportSizeAsync(width, height);
                found.AddRange((await ViolationsAsync(page)).Select(v => $"{width} px {scheme} {what}: {v}"));
            }
        }
        await page.EmulateMediaAsync(new() { ColorScheme = ColorScheme.Light });
        await page.SetViewportSizeAsync(size.Width, size.Height);
        return found;
    }

    /// <summary>The script, installed first by the project's own script if it is not there yet.</summary>
    private static string Load()
    {
        var path = Path.Combine(Repo.Root, "infra", "axe", "node_modules", "axe-core", "axe.min.js");
        if (!File.Exists(path))
        {
            using var install = Process.Start(new ProcessStartInfo(Path.Combine(Repo.Root, "infra", "install-axe")) { RedirectStandardError = true })!;
            var error = install.StandardError.ReadToEnd();
            install.WaitForExit();
            if (install.ExitCode != 0) throw new InvalidOperationException($"infra/install-axe failed ({install.ExitCode}): {error}");
        }
        return File.ReadAllText(path);
    }
}
