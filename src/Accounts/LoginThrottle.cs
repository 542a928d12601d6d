using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Alice.Accounts;

/// <summary>
/// Holds back password guesses without ever locking a person out of their own account. Identity's lockout
/// (five wrong passwords and the account is closed for 15 minutes, for everyone) let any stranger who knew
/// a name keep the centre out of its console; here failures count per name and per <em>place</em> they come
/// from, and hold back only that place:
/// <list type="bullet">
/// <item>a browser that has completed a login on this account before (it holds the account's device cookie), or else</item>
/// <item>the client's network: its IPv4 address, or its IPv6 /64 (one household or one server has a whole /64).</item>
/// </list>
/// After five failures from one place, that place waits a minute; each further failure doubles the wait
/// (2, 4, 8, then 15 minutes at most); a day without failures forgets them. A guesser spread over many networks is met by a limit per account: beyond
/// <see cref="AccountFailuresPerHour"/> failures in an hour from places without the device cookie, only
/// browsers with it get a password checked. A staff member at their own browser is never held back by
/// anyone else's failures; someone new to the account (a first login, a new phone) may wait while an attack
/// goes on. Kept in memory, per instance, like the rate limits: a restart forgets it, and with it nothing a
/// guesser could use (the wait starts again after five failures).
/// </summary>
internal sealed class LoginThrottle(TimeProvider clock)
{
    /// <summary>Failures from one place before it waits.</summary>
    public const int FreeFailures = 5;
    public const int AccountFailuresPerHour = 20;
    private static readonly TimeSpan FirstWait = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan LongestWait = TimeSpan.FromMinutes(15);
    private static readonly TimeSpan Forget = TimeSpan.FromHours(24);
    /// <summary>Names and places remembered at most; beyond it the oldest go (a flood of made-up names cannot fill the memory).</summary>
    private const int MaxRemembered = 100_000;

    private sealed record Place(int Failures, DateTimeOffset LastFailure, DateTimeOffset HeldUntil);

    private readonly ConcurrentDictionary<(string Name, string Place), Place> _places = new();
    private readonly ConcurrentDictionary<string, Queue<DateTimeOffset>> _accounts = new();

    /// <summary>Whether a password attempt on this name from this place is held back now (answered as a wrong password, after the same work).</summary>
    public bool IsHeld(string normalizedName, string place, bool knownDevice)
    {
        var now = clock.GetUtcNow();
        if (_places.TryGetValue((normalizedName, place), out var p) && p.HeldUntil > now) return true;
        return !knownDevice && RecentAccountFailures(normalizedName, now) >= AccountFailuresPerHour;
    }

    public void Failed(string normalizedName, string place, bool knownDevice)
    {
        var now = clock.GetUtcNow();
        if (_places.Count >= MaxRemembered) Prune(now);
        _places.AddOrUpdate((normalizedName, place), _ => new Place(1, now, now), (_, p) =>
        {
            var failures = (p.LastFailure + Forget < now ? 0 : p.Failures) + 1;
            var beyond = failures - FreeFailures + 1;
            var wait = beyond <= 0 ? TimeSpan.Zero : TimeSpan.FromTicks(Math.Min(LongestWait.Ticks, FirstWait.Ticks << Math.Min(beyond - 1, 10)));
            return new Place(failures, now, now + wait);
        });
        if (knownDevice) return;
        var times = _accounts.GetOrAdd(normalizedName, _ => new Queue<DateTimeOffset>());
        lock (times)
        {
            times.Enqueue(now);
            while (times.Count > AccountFailuresPerHour || (times.TryPeek(out var oldest) && oldest < now - TimeSpan.FromHours(1))) times.Dequeue();
        }
    }

    /// <summary>A completed login (password and second factor) clears the place it came from.</summary>
    public void Succeeded(string normalizedName, string place) => _places.TryRemove((normalizedName, place), out _);

    private int RecentAccountFailures(string normalizedName, DateTimeOffset now)
    {
        if (!_accounts.TryGetValue(normalizedName, out var times)) return 0;
        lock (times) return times.Count(t => t >= now - TimeSpan.FromHours(1));
    }

    private void Prune(DateTimeOffset now)
    {
        foreach (var (key, p) in _places)
            if (p.LastFailure + Forget < now || p.HeldUntil < now - TimeSpan.FromHours(1)) _places.TryRemove(key, out _);
        foreach (var key in _places.OrderBy(kv => kv.Value.LastFailure).Take(Math.Max(0, _places.Count - MaxRemembered / 2)).Select(kv => kv.Key).ToList())
            _places.TryRemove(key, out _);
        foreach (var (name, times) in _accounts)
            lock (times) if (times.All(t => t < now - TimeSpan.FromHours(1))) _accounts.TryRemove(name, out _);
    }

    /// <summary>
    /// The network a client is counted by: an IPv4 address as it is (an IPv4-mapped IPv6 address as its IPv4),
    /// an IPv6 address by its /64. Behind nginx this is the forwarded client address (ForwardedHeaders).
    /// </summary>
    public static string NetworkOf(IPAddress? address)
    {
        if (address is null) return "";
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        if (address.AddressFamily != AddressFamily.InterNetworkV6) return address.ToString();
        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes) + "/64";
    }
}
