using System.Security.Cryptography;
using System.Text;

namespace Alice.Signatures;

/// <summary>
/// X-Twilio-Signature for form-encoded webhooks: Base64 HMAC-SHA1, keyed with the auth token, of the
/// full URL followed by every body parameter as name+value, sorted by name (ordinal) and, for a
/// repeated name, by value.
/// </summary>
public static class TwilioSignature
{
    public const string Header = "X-Twilio-Signature";

    public static string Compute(string authToken, string url, IEnumerable<KeyValuePair<string, string>> parameters)
    {
        var text = new StringBuilder(url);
        foreach (var (name, value) in parameters.OrderBy(p => p.Key, StringComparer.Ordinal).ThenBy(p => p.Value, StringComparer.Ordinal))
            text.Append(name).Append(value);
        var mac = HMACSHA1.HashData(Encoding.UTF8.GetBytes(authToken), Encoding.UTF8.GetBytes(text.ToString()));
        return Convert.ToBase64String(mac);
    }

    /// <summary>
    /// True when the signature matches the URL as given or with its default port added or removed,
    /// as Twilio's own libraries accept. Each comparison takes constant time, so timing says nothing
    /// about the expected signature; which URL form matched is no secret.
    /// </summary>
    public static bool IsValid(string authToken, string url, IEnumerable<KeyValuePair<string, string>> parameters, string? signature)
    {
        if (string.IsNullOrEmpty(signature)) return false;
        var given = Encoding.UTF8.GetBytes(signature);
        var list = parameters as IReadOnlyCollection<KeyValuePair<string, string>> ?? parameters.ToList();
        return PortVariants(url).Any(candidate =>
            CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(Compute(authToken, candidate, list)), given));
    }

    /// <summary>The URL itself, then the same URL with its scheme's default port toggled.</summary>
    private static IEnumerable<string> PortVariants(string url)
    {
        yield return url;
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri)) yield break;
        var defaultPort = uri.Scheme switch { "https" => 443, "http" => 80, _ => -1 };
        if (defaultPort < 0 || uri.Port != defaultPort) yield break;
        // Work on the text, not Uri.ToString(), which would re-encode the query and change the host's case.
        var authorityStart = url.IndexOf("://", StringComparison.Ordinal) + 3;
        var authorityEnd = url.IndexOfAny(['/', '?', '#'], authorityStart);
        if (authorityEnd < 0) authorityEnd = url.Length;
        var authority = url[authorityStart..authorityEnd];
        var suffix = $":{defaultPort}";
        var toggled = authority.EndsWith(suffix, StringComparison.Ordinal) ? authority[..^suffix.Length] : authority + suffix;
        yield return url[..authorityStart] + toggled + url[authorityEnd..];
    }
}
