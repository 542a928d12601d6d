using System.Text.RegularExpressions;

namespace Alice.Dispatch.Campuses;

/// <summary>Phone numbers as Twilio sends and takes them.</summary>
internal static partial class PhoneNumbers
{
    [GeneratedRegex(@"^\+[1-9][0-9]{6,14}$")]
    private static partial Regex E164Form();

    /// <summary>Whether the text is a number in E.164 form (+32...): a withheld caller's "Anonymous" is not.</summary>
    public static bool IsE164(string? text) => text is not null && E164Form().IsMatch(text);
}
