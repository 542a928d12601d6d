using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Alice.Dispatch.Privacy;

/// <summary>
/// Words that would tell a taxi partner (or anyone reading a text message) what the ride is: the centre's
/// name and what it is for, in French, Dutch and English. Whatever the partner receives is checked against
/// them at start-up, so a configuration cannot make a booking say where the passenger is really going.
/// </summary>
internal static partial class RevealingWords
{
    /// <summary>Whole words, or words starting so (sexual, sexuelle, seksueel...), accents and case ignored.</summary>
    [GeneratedRegex(@"\b(cpvs|zsg|sex\w*|seks\w*|victim\w*|slachtoffer\w*|violen\w*|viol|geweld\w*|agress\w*|aggress\w*|assault\w*|rape\w*|verkracht\w*|abus\w*|misbruik\w*|zedenzorg\w*)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Revealing();

    /// <summary>The first revealing word in the text, or null when there is none.</summary>
    public static string? In(string? text)
    {
        if (string.IsNullOrEmpty(text)) return null;
        var plain = new string(text.Normalize(NormalizationForm.FormD).Where(c => CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark).ToArray());
        var match = Revealing().Match(plain);
        return match.Success ? match.Value : null;
    }
}
