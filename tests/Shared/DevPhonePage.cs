using System.Text.RegularExpressions;

namespace Alice.Testing;

/// <summary>
/// The development phone as its page's script uses it: every post carries the antiforgery token the page
/// carries, with the cookie the page set.
/// </summary>
public static partial class DevPhonePage
{
    [GeneratedRegex("<meta name=\"antiforgery\" data-header=\"([^\"]+)\" content=\"([^\"]+)\">")]
    private static partial Regex TokenMeta();

    /// <summary>Loads the phone's page with this client (which keeps its cookies), then sends the page's token with every request.</summary>
    public static async Task<HttpClient> WithPageTokenAsync(this HttpClient http, string dispatchUrl = "")
    {
        var token = TokenMeta().Match(await http.GetStringAsync($"{dispatchUrl}/dev/phone"));
        Assert.True(token.Success, "the phone's page carries no token");
        http.DefaultRequestHeaders.Add(token.Groups[1].Value, token.Groups[2].Value);
        return http;
    }
}
