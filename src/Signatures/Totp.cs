using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Alice.Signatures;

/// <summary>
/// The code an authenticator app shows (RFC 6238: HMAC-SHA1, 30-second steps, 6 digits) for a Base32
/// secret: made for the development account's code command and for the tests, which enrol as a person
/// with a phone would, and checked by the accounts' <c>AuthenticatorCodes</c>.
/// </summary>
public static class Totp
{
    /// <summary>The 30-second step a moment falls in: what a code is valid for.</summary>
    public static long Step(DateTimeOffset at) => at.ToUnixTimeSeconds() / 30;

    public static string Code(string base32Secret, DateTimeOffset at) => CodeAt(base32Secret, Step(at));

    public static string CodeAt(string base32Secret, long step)
    {
        Span<byte> counter = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(counter, step);
        var hash = HMACSHA1.HashData(Base32(base32Secret), counter);
        var offset = hash[^1] & 0x0f;
        var value = (BinaryPrimitives.ReadInt32BigEndian(hash.AsSpan(offset)) & 0x7fffffff) % 1_000_000;
        return value.ToString("D6");
    }

    private static byte[] Base32(string text)
    {
        const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        var bytes = new List<byte>();
        int buffer = 0, bits = 0;
        foreach (var c in text.Trim().TrimEnd('=').ToUpperInvariant())
        {
            var index = Alphabet.IndexOf(c);
            if (index < 0) throw new FormatException("Not a Base32 secret.");
            buffer = (buffer << 5) | index;
            bits += 5;
            if (bits < 8) continue;
            bytes.Add((byte)(buffer >> (bits - 8)));
            bits -= 8;
        }
        return bytes.ToArray();
    }
}
