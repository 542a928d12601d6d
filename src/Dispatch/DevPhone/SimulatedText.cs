using System.Security.Cryptography;
using System.Xml.Linq;
using Alice.Dispatch.Texting;
using Alice.Signatures;

namespace Alice.Dispatch.DevPhone;

/// <summary>
/// Plays Twilio's part for one text message: posts it signed as Twilio would, and reads the reply from the TwiML
/// it gets back. Used by the development phone's text tab and infra/text. Later texts (the car, the centre's
/// answer) go out through Twilio's REST API: in Development they appear on the Twilio simulator's page.
/// </summary>
internal static class SimulatedText
{
    public static async Task<string> SendAsync(HttpClient http, string publicBaseUrl, string authToken, string from, string to, string body, CancellationToken ct)
    {
        var sid = "SM" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        List<KeyValuePair<string, string>> form =
        [
            new("AccountSid", "AC00000000000000000000000000000000"), new("ApiVersion", "2010-04-01"), new("MessageSid", sid), new("SmsSid", sid),
            new("From", from), new("To", to), new("Body", body), new("NumMedia", "0"), new("FromCountry", "BE"),
        ];
        using var request = new HttpRequestMessage(HttpMethod.Post, TextingEndpoints.Path) { Content = new FormUrlEncodedContent(form) };
        request.Headers.Add(TwilioWebhookSigner.Header, TwilioWebhookSigner.Sign(authToken, publicBaseUrl.TrimEnd('/') + TextingEndpoints.Path, form));
        using var response = await http.SendAsync(request, ct);
        var reply = await response.Content.ReadAsStringAsync(ct);
        if (!response.IsSuccessStatusCode || response.Content.Headers.ContentType?.MediaType != "text/xml")
            throw new InvalidOperationException($"The service answered {(int)response.StatusCode} to {TextingEndpoints.Path}: {reply}");
        return XDocument.Parse(reply).Root?.Element("Message")?.Value ?? "";
    }
}
