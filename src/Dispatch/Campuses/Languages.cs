using System.Globalization;

namespace Alice.Dispatch.Campuses;

/// <summary>A language of the voice menu: its code in URLs and config, the locale it is spoken in, and the culture of its prompts.</summary>
internal sealed record Language(string Code, string Locale, CultureInfo Culture);

internal static class Languages
{
    public static readonly Language French = new("fr", "fr-BE", CultureInfo.GetCultureInfo("fr"));
    public static readonly Language Dutch = new("nl", "nl-BE", CultureInfo.GetCultureInfo("nl"));
    public static readonly Language English = new("en", "en-GB", CultureInfo.GetCultureInfo("en"));

    /// <summary>In menu order: French is the default, Dutch is key 2, English key 3.</summary>
    public static readonly IReadOnlyList<Language> All = [French, Dutch, English];

    /// <summary>An unknown or missing code falls back to French rather than failing the call.</summary>
    public static Language FromCode(string? code) => All.FirstOrDefault(l => l.Code == code) ?? French;
}
