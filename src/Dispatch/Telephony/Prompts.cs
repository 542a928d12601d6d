using System.Resources;
using Alice.Dispatch.Campuses;
using Alice.Dispatch.Rides;

namespace Alice.Dispatch.Telephony;

/// <summary>The menu's spoken texts, from Prompts.resx (French) and its Dutch and English satellites.</summary>
internal static class Prompts
{
    private static readonly ResourceManager Resources = new("Alice.Dispatch.Telephony.Prompts", typeof(Prompts).Assembly);

    public static string Get(string name, Language language) =>
        Resources.GetString(name, language.Culture) ?? throw new InvalidOperationException($"Prompt '{name}' is missing.");

    public static string Format(string name, Language language, params object[] args) =>
        string.Format(language.Culture, Get(name, language), args);

    /// <summary>Digits spoken one by one with a short pause between them ("4, 7, 2, 9").</summary>
    public static string Digits(string code) => BookingCodes.Spoken(code) + ".";
}
