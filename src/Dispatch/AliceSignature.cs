using System.Security.Cryptography;
using System.Text;

namespace Alice.Dispatch;

/// <summary>
/// X-Alice-Signature, on what Alice and its partners send each other (partner API v1) and on what it sends
/// a police zone: <c>t=&lt;unix seconds&gt;,v1=&lt;hex HMAC-SHA256 of "&lt;t&gt;.&lt;raw body&gt;"&gt;</c> under
/// the secret shared with that party. The timestamp is inside the signed text so a captured request
/// cannot be replayed later.
/// </summary>
internal static class AliceSignature
{
    public const string Header = "X-Alice-Signature";

    public static string Create(string secret, long unixSeconds, ReadOnlySpan<byte> body)
    {
        var prefix = Encoding.UTF8.GetBytes($"{unixSeconds}.");
        var signed = new byte[prefix.Length + body.Length];
        prefix.CopyTo(signed, 0);
        body.CopyTo(signed.AsSpan(prefix.Length));
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), signed);
        return $"t={unixSeconds},v1={Convert.ToHexStringLower(mac)}";
    }

    internal enum Check { Valid, Missing, Stale, Mismatch }

    /// <summary>Checks a header against the body: well formed, within the replay window, and matching (in constant time).</summary>
    public static Check Verify(string secret, string? header, ReadOnlySpan<byte> body, DateTimeOffset now, TimeSpan window)
    {
        long? t = null;
        string? v1 = null;
        foreach (var part in (header ?? "").Split(','))
        {
            var pair = part.Split('=', 2, StringSplitOptions.TrimEntries);
            if (pair is ["t", var ts] && long.TryParse(ts, out var seconds)) t = seconds;
            else if (pair is ["v1", var hex]) v1 = hex;
        }
        if (t is null || v1 is null) return Check.Missing;
        // Compared as a range, not as |now - t|: a t near long.MinValue would overflow the subtraction.
        var current = now.ToUnixTimeSeconds();
        if (t.Value < current - (long)window.TotalSeconds || t.Value > current + (long)window.TotalSeconds) return Check.Stale;
        var expected = Encoding.ASCII.GetBytes(Create(secret, t.Value, body));
        var given = Encoding.ASCII.GetBytes($"t={t.Value},v1={v1.ToLowerInvariant()}");
        return CryptographicOperations.FixedTimeEquals(expected, given) ? Check.Valid : Check.Mismatch;
    }
}
