using System.Globalization;
using System.Xml;
using Alice.Dispatch.Privacy;

namespace Alice.Dispatch.Partners;

/// <summary>
/// What a partner says that a caller hears and may read: the car and its plate, spoken on the call and
/// texted, and the minutes until it comes. A partner is outside Alice, so its words are checked before
/// they reach either: a character the call's TwiML cannot carry would end the call with a person instead
/// of the confirmation, and a word that says what the ride is for must never be said or texted. A value
/// that fails is dropped, not the event: the ride is still confirmed, only without it.
/// </summary>
internal static class PartnerText
{
    public const int LongestDescription = 100;
    public const int LongestPlate = 20;

    /// <summary>No taxi to the centre is hours away: a figure beyond this is a partner's mistake, not worth saying.</summary>
    public const int LongestEtaMinutes = 180;

    /// <summary>Why a part of the car cannot be said or texted (the kind of fault, never the text), or null when it can.</summary>
    public static string? Problem(string? text, int longest)
    {
        if (text is null) return null;
        if (text.Length > longest) return $"longer than {longest} characters";
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && XmlConvert.IsXmlSurrogatePair(text[i + 1], c))
            {
                i++;
                continue;
            }
            if (!XmlConvert.IsXmlChar(c) || char.IsControl(c)) return "a control character or one XML cannot carry";
            // Format characters (bidirectional overrides, zero-width ones) and line separators can make a text read other than it is.
            if (CharUnicodeInfo.GetUnicodeCategory(c) is UnicodeCategory.Format or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator)
                return "an invisible formatting character";
        }
        return RevealingWords.In(text) is null ? null : "a word that says what the ride is for";
    }

    /// <summary>The minutes as given when they are plausible, else null (with why).</summary>
    public static (int? Minutes, string? Problem) Eta(int? minutes) => minutes switch
    {
        null => (null, null),
        < 0 or > LongestEtaMinutes => (null, $"outside 0 to {LongestEtaMinutes} minutes"),
        _ => (minutes, null),
    };
}
