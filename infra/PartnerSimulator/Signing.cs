using System.Security.Cryptography;
using System.Text;

namespace Alice.PartnerSimulator;

/// <summary>X-Alice-Signature v2 as the partner API document states it, both ways (the simulator's own implementation).</summary>
internal static class Signing
{
    public const string AliceToPartner = "alice-to-partner";
    public const string PartnerToAlice = "partner-to-alice";

    /// <summary><c>t=&lt;t&gt;,v2=&lt;hex HMAC-SHA256 of "t.direction.METHOD.path.body"&gt;</c>.</summary>
    public static string Header(string secret, long t, string direction, string method, string pathAndQuery, byte[] body)
    {
        using var hmac = new HMACSHA256(Encoding.UTF8.GetBytes(secret));
        var mac = hmac.ComputeHash([.. Encoding.UTF8.GetBytes($"{t}.{direction}.{method.ToUpperInvariant()}.{pathAndQuery}."), .. body]);
        return $"t={t},v2={Convert.ToHexStringLower(mac)}";
    }
}
