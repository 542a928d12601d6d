using Alice.Admin.Totals;
using Alice.Totals;
using Alice.Web;

namespace Alice.Admin.Tests;

/// <summary>
/// Every text of the organisers' panel is in French, Dutch and English: none empty, none a copy of another
/// language, the same placeholders in all three (the dispatch service's texts: Alice.Dispatch.Tests).
/// </summary>
public class FluencyTests
{
    /// <summary>Words the languages share: "Campus"; Dutch "Week" and "Accounts" as English writes them.</summary>
    private static readonly HashSet<string> SameInEveryLanguage = ["Campus", "Week", "Accounts"];

    [Fact]
    public void Every_text_the_panel_shows_is_in_french_dutch_and_english()
    {
        var texts = Fluency.TextsIn(typeof(TotalsTexts).Assembly);
        // The names of the measures are chosen in a switch, not kept in a field.
        texts.AddRange(Enum.GetValues<Measure>().Select(m => ($"TotalsTexts.Of({m})", new Text(TotalsTexts.Of(m, "fr"), TotalsTexts.Of(m, "nl"), TotalsTexts.Of(m, "en")))));

        Assert.Contains(texts, t => t.Where.StartsWith("TotalsTexts.", StringComparison.Ordinal));
        Assert.Contains(texts, t => t.Where.StartsWith("OperatorTexts.", StringComparison.Ordinal));
        var faults = Fluency.Faults(texts, SameInEveryLanguage);
        Assert.True(faults.Count == 0, $"{faults.Count} of {texts.Count} texts:\n" + string.Join("\n", faults));
    }
}
