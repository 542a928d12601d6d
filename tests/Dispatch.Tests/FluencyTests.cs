using System.Reflection;
using Alice.Dispatch.Telephony;
using Alice.Web;

namespace Alice.Dispatch.Tests;

/// <summary>
/// Every text of the service's own pages, the account pages, the page layout and the hotline's voice is in
/// French, Dutch and English: none empty, none a copy of another language, the same placeholders in all
/// three. (The organisers' panel is checked the same way in Alice.Admin.Tests.)
/// </summary>
public class FluencyTests
{
    /// <summary>What reads the same in two or three of the languages: a bare placeholder, words they share ("Code"; Dutch "Status"), an abbreviation.</summary>
    internal static readonly HashSet<string> SameInEveryLanguage = ["{1} {0},", "Code", "Code: {0}.", "Status", "min"];

    [Fact]
    public void Every_text_the_service_shows_or_says_is_in_french_dutch_and_english()
    {
        var texts = Fluency.TextsIn(typeof(Prompts).Assembly, typeof(Text).Assembly, Assembly.Load("Alice.Accounts"));

        // The search finds texts where each kind of table keeps them: a prompt, a page's field, a dictionary, a component.
        Assert.Contains(texts, t => t.Where == "Prompts.StayOnLine");
        Assert.Contains(texts, t => t.Where.StartsWith("Prompts.Reassurances[", StringComparison.Ordinal));
        Assert.Contains(texts, t => t.Where.StartsWith("CentreTexts.Statuses[", StringComparison.Ordinal));
        Assert.Contains(texts, t => t.Where == "Page.Switch");
        Assert.Contains(texts, t => t.Where.StartsWith("AccountTexts.", StringComparison.Ordinal));
        var faults = Fluency.Faults(texts, SameInEveryLanguage);
        Assert.True(faults.Count == 0, $"{faults.Count} of {texts.Count} texts:\n" + string.Join("\n", faults));
    }
}
