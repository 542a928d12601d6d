using System.Text.RegularExpressions;

namespace Alice.Dispatch.Campuses;

/// <summary>
/// The phone numbers appsettings.json ships are placeholders, from two ranges kept for them:
/// +32 2 555 01xx (the hotline, the human line, the centre's contact) and +32 470 55 01xx (the on-call
/// phones). They are valid E.164, so only this says they must not reach a caller or an alert: in
/// Development they are the development numbers; anywhere else the service refuses to start with them.
/// </summary>
internal static partial class PlaceholderNumbers
{
    [GeneratedRegex(@"\+32(?:255501|4705501)[0-9]{2}(?![0-9])")]
    private static partial Regex Placeholder();

    [GeneratedRegex(@"[\s./-]")]
    private static partial Regex Separators();

    /// <summary>Whether the text holds a placeholder number, in E.164 or written with spaces, dots, dashes or slashes.</summary>
    public static bool In(string text) => Placeholder().IsMatch(Separators().Replace(text, ""));

    /// <summary>Why a setting holding one is refused, naming the setting as the environment sets it.</summary>
    public static string Refusal(string setting) =>
        $"{setting} holds a placeholder number the project ships (+32 2 555 01xx, +32 470 55 01xx); " +
        $"outside Development set the real one ({setting.Replace(":", "__")}).";
}
