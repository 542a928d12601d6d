namespace Alice.Dispatch.Campuses;

/// <summary>
/// The voices known to speak each locale of the menu, for Twilio's &lt;Say&gt;. Twilio's default voice does
/// not speak Belgian French or Dutch, and Twilio warns that a voice paired with a language it does not
/// speak may make the &lt;Say&gt; fail: the caller (or the on-call person) would hear nothing.
/// </summary>
internal static class SpeakingVoices
{
    /// <summary>Amazon Polly voices through Twilio, and the one locale each speaks.</summary>
    public static readonly IReadOnlyDictionary<string, string> Known = new Dictionary<string, string>
    {
        ["Polly.Isabelle-Neural"] = "fr-BE",
        ["Polly.Lisa-Neural"] = "nl-BE",
        ["Polly.Amy-Neural"] = "en-GB",
        ["Polly.Amy"] = "en-GB",
        ["Polly.Emma-Neural"] = "en-GB",
        ["Polly.Emma"] = "en-GB",
        ["Polly.Brian-Neural"] = "en-GB",
        ["Polly.Brian"] = "en-GB",
        ["Polly.Arthur-Neural"] = "en-GB",
    };

    /// <summary>What is wrong with a voice configuration (under <paramref name="section"/>), one sentence a problem; none when every language has a voice that speaks it.</summary>
    public static IEnumerable<string> Problems(string section, IReadOnlyDictionary<string, string> voices)
    {
        foreach (var code in voices.Keys.Where(code => Languages.All.All(l => l.Code != code)))
            yield return $"{section}:{code} is not a language of the menu ({string.Join(", ", Languages.All.Select(l => l.Code))}).";
        foreach (var language in Languages.All)
        {
            var voice = voices.GetValueOrDefault(language.Code);
            if (string.IsNullOrWhiteSpace(voice))
                yield return $"{section}:{language.Code} is missing: name the voice that speaks {language.Locale}.";
            else if (Known.GetValueOrDefault(voice) != language.Locale)
                yield return $"{section}:{language.Code} is {voice}, which is not known to speak {language.Locale}; "
                    + $"known voices for {language.Locale}: {string.Join(", ", Known.Where(k => k.Value == language.Locale).Select(k => k.Key))}.";
        }
    }
}
