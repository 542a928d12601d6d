using System.Security.Cryptography;
using System.Text;

namespace Alice.Accounts;

/// <summary>
/// How a recovery code is stored: PBKDF2-SHA256 with a salt of its own and many iterations, never the code.
/// A code has about 47 bits (ten of 26 characters): under a plain hash a copy of the database gives every
/// code in a few hours of a graphics card; here each guess costs the iterations, for one code of one account
/// at a time. A salted slow hash rather than an HMAC with a server secret: there is no secret to keep
/// beside the database, and a recovery login (rare) can afford a tenth of a second.
/// Stored as <c>p1:iterations:salt:hash</c> (base64); anything else (the unsalted hashes of earlier releases,
/// cleared by migration V0016) never matches.
/// </summary>
internal static class RecoveryCodeHash
{
    private const string Version = "p1";
    public const int Iterations = 60_000;
    private const int SaltBytes = 16;
    private const int HashBytes = 32;

    public static string Of(string code)
    {
        var salt = RandomNumberGenerator.GetBytes(SaltBytes);
        return $"{Version}:{Iterations}:{Convert.ToBase64String(salt)}:{Convert.ToBase64String(Derive(code, salt, Iterations))}";
    }

    public static bool Matches(string stored, string code)
    {
        var parts = stored.Split(':');
        if (parts is not [Version, var iterationsText, var saltText, var hashText]
            || !int.TryParse(iterationsText, out var iterations) || iterations is < 10_000 or > 10_000_000) return false;
        try
        {
            return CryptographicOperations.FixedTimeEquals(Derive(code, Convert.FromBase64String(saltText), iterations), Convert.FromBase64String(hashText));
        }
        catch (FormatException)
        {
            return false;
        }
    }

    /// <summary>Case, spaces and the dash in the middle do not count: a code typed from paper still works.</summary>
    private static byte[] Derive(string code, byte[] salt, int iterations) => Rfc2898DeriveBytes.Pbkdf2(
        Encoding.UTF8.GetBytes(code.Replace("-", "").Replace(" ", "").ToUpperInvariant()), salt, iterations, HashAlgorithmName.SHA256, HashBytes);
}
