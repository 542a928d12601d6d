using System.Security.Cryptography;
using System.Text;

namespace Alice.Signatures;

/// <summary>
/// X-Twilio-Signature as Twilio makes it, for the parties that play Twilio: the development phone, the
/// benchmark and the tests. The service itself checks signatures with Twilio's own RequestValidator; Twilio's
/// library only checks, it signs nothing, so this is the one part kept by hand. Base64 HMAC-SHA1, keyed with
/// the auth token, of the full URL followed by every body parameter as name+value sorted by name (ordinal);
/// a repeated name carries its values joined by commas, as the validator reads a form.
/// </summary>
public static class TwilioWebhookSigner
{
    public const string Header = "X-Twilio-Signature";

    public static string Sign(string authToken, string url, IEnumerable<KeyValuePair<string, string>> parameters)
    {
        var text = new StringBuilder(url);
        foreach (var group in parameters.GroupBy(p => p.Key).OrderBy(g => g.Key, StringComparer.Ordinal))
            text.Append(group.Key).Append(string.Join(',', group.Select(p => p.Value)));
        return Convert.ToBase64String(HMACSHA1.HashData(Encoding.UTF8.GetBytes(authToken), Encoding.UTF8.GetBytes(text.ToString())));
    }
}
