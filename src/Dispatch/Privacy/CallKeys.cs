using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace Alice.Dispatch.Privacy;

/// <summary>
/// Turns Twilio's CallSid into a key that recognises a retried request of the same call without
/// storing the CallSid: HMAC-SHA256 under a server secret, so the key cannot be matched against
/// Twilio's call log by anyone who lacks the secret.
/// </summary>
internal sealed class CallKeys(IOptions<PrivacyOptions> options)
{
    private readonly byte[] _secret = Encoding.UTF8.GetBytes(options.Value.CallKeySecret);

    public string For(string callSid) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(_secret, Encoding.UTF8.GetBytes(callSid)));
}
