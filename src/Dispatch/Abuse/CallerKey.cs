using System.Security.Cryptography;
using System.Text;

namespace Alice.Dispatch.Abuse;

/// <summary>
/// The key the booking limits count callers under: random, held only in this process's memory, never
/// written, logged or shared, and replaced on every clock hour (the old one zeroed). A caller's number is
/// only ever turned into an HMAC under it, so the counts say nothing about a number once the hour is over,
/// not even to someone who reads this process's memory later.
/// </summary>
internal sealed class CallerKey(TimeProvider clock, RandomNumberGenerator random)
{
    private readonly Lock _lock = new();
    private byte[] _key = New(random);
    private long _hour = HourOf(clock.GetUtcNow());

    /// <summary>The hour (since the epoch) the current key is for; it changes with the key.</summary>
    public long Hour
    {
        get { lock (_lock) { Rotate(); return _hour; } }
    }

    /// <summary>The text's HMAC under this hour's key (a number, a CallSid), as the counts hold it.</summary>
    public string Of(string text)
    {
        lock (_lock)
        {
            Rotate();
            return Convert.ToBase64String(HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(text)));
        }
    }

    private void Rotate()
    {
        var hour = HourOf(clock.GetUtcNow());
        if (hour == _hour) return;
        CryptographicOperations.ZeroMemory(_key);
        _key = New(random);
        _hour = hour;
    }

    private static byte[] New(RandomNumberGenerator random)
    {
        var key = new byte[32];
        random.GetBytes(key);
        return key;
    }

    private static long HourOf(DateTimeOffset now) => now.ToUnixTimeSeconds() / 3600;
}
