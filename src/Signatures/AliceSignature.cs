using System.Security.Cryptography;
using System.Text;

namespace Alice.Signatures;

/// <summary>
/// X-Alice-Signature, on what Alice and its partners send each other (partner API v1.1) and on what it sends
/// a police zone: <c>t=&lt;unix seconds&gt;,v2=&lt;hex HMAC-SHA256 of "&lt;t&gt;.&lt;direction&gt;.&lt;METHOD&gt;.&lt;path&gt;.&lt;raw body&gt;"&gt;</c>
/// under the secret shared with that party. The timestamp is inside the signed text so a captured request
/// cannot be replayed later; the direction, method and path are, so it cannot be replayed elsewhere
/// either (a request Alice sent posted back as an event, one partner's event posted to another's path,
/// one cancel's signature on another booking's cancel). v1 signed the timestamp and body only: it is
/// still made and accepted where a partner's transition to v2 allows (partner-api-v1.md, "v1.1").
/// </summary>
public static class AliceSignature
{
    public const string Header = "X-Alice-Signature";

    /// <summary>The fixed labels of who sends to whom: the same secret signs both ways, the label tells them apart.</summary>
    public static class Direction
    {
        public const string AliceToPartner = "alice-to-partner";
        public const string PartnerToAlice = "partner-to-alice";
        public const string AliceToPolice = "alice-to-police";
    }

    /// <summary>Where a signed request goes: its direction label, HTTP method and path with query, exactly as sent.</summary>
    public sealed record Target(string Direction, string Method, string PathAndQuery);

    public enum Check { Valid, Missing, Stale, Mismatch, V1NotAccepted }

    /// <summary>The header for a request to <paramref name="target"/>: v2, and v1 beside it while the receiver may still check only v1.</summary>
    public static string Create(string secret, long unixSeconds, Target target, ReadOnlySpan<byte> body, bool withV1 = false)
    {
        var v2 = Hex(V2(secret, unixSeconds, target, body));
        return withV1 ? $"t={unixSeconds},v1={Hex(V1(secret, unixSeconds, body))},v2={v2}" : $"t={unixSeconds},v2={v2}";
    }

    /// <summary>
    /// Checks a header against the request: well formed, within the replay window, and matching (in constant
    /// time). A v2 signature, when there is one, is the one checked (a v1 beside it cannot rescue a wrong v2);
    /// a header with v1 alone passes only when <paramref name="acceptV1"/>.
    /// </summary>
    public static Check Verify(string secret, string? header, Target target, ReadOnlySpan<byte> body, DateTimeOffset now, TimeSpan window, bool acceptV1 = false)
    {
        long? t = null;
        string? v1 = null, v2 = null;
        foreach (var part in (header ?? "").Split(','))
        {
            var pair = part.Split('=', 2, StringSplitOptions.TrimEntries);
            if (pair is ["t", var ts] && long.TryParse(ts, out var seconds)) t = seconds;
            else if (pair is ["v1", var hex1]) v1 = hex1;
            else if (pair is ["v2", var hex2]) v2 = hex2;
        }
        if (t is null || (v1 is null && v2 is null)) return Check.Missing;
        // Compared as a range, not as |now - t|: a t near long.MinValue would overflow the subtraction.
        var current = now.ToUnixTimeSeconds();
        if (t.Value < current - (long)window.TotalSeconds || t.Value > current + (long)window.TotalSeconds) return Check.Stale;
        if (v2 is null && !acceptV1) return Check.V1NotAccepted;
        var expected = v2 is null ? V1(secret, t.Value, body) : V2(secret, t.Value, target, body);
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Hex(expected)), Encoding.ASCII.GetBytes((v2 ?? v1)!.ToLowerInvariant()))
            ? Check.Valid : Check.Mismatch;
    }

    private static byte[] V1(string secret, long t, ReadOnlySpan<byte> body) => Mac(secret, $"{t}.", body);

    private static byte[] V2(string secret, long t, Target target, ReadOnlySpan<byte> body) =>
        Mac(secret, $"{t}.{target.Direction}.{target.Method.ToUpperInvariant()}.{target.PathAndQuery}.", body);

    private static byte[] Mac(string secret, string prefix, ReadOnlySpan<byte> body)
    {
        var head = Encoding.UTF8.GetBytes(prefix);
        var signed = new byte[head.Length + body.Length];
        head.CopyTo(signed, 0);
        body.CopyTo(signed.AsSpan(head.Length));
        return HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), signed);
    }

    private static string Hex(byte[] mac) => Convert.ToHexStringLower(mac);
}
