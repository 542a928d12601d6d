using Alice.Signatures;

namespace Alice.Testing;

/// <summary>
/// X-Alice-Signature v1 alone, as a partner that has not moved to v2 yet sends it: the service's own header
/// with v1 beside v2 (what it sends such a partner), v2 cut off. v1 signs the timestamp and body only, so
/// the target given does not change it.
/// </summary>
public static class V1Signature
{
    public static string Create(string secret, long unixSeconds, ReadOnlySpan<byte> body)
    {
        var target = new AliceSignature.Target(AliceSignature.Direction.PartnerToAlice, "POST", "/");
        return AliceSignature.Create(secret, unixSeconds, target, body, withV1: true).Split(",v2=")[0];
    }
}
