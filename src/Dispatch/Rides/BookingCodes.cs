using System.Security.Cryptography;

namespace Alice.Dispatch.Rides;

/// <summary>
/// Booking codes are four digits spoken one by one. To be heard right on a bad line and repeated to
/// a driver, they use 1-9 only ("zero" and "oh" get confused, and a leading zero gets dropped) and never
/// the same digit twice in a row ("seven seven" is easily heard as one seven).
/// </summary>
internal static class BookingCodes
{
    public const int Length = 4;

    /// <summary>The code as it is spoken: digit by digit, a short pause between them ("4, 7, 2, 9").</summary>
    public static string Spoken(string code) => string.Join(", ", code.ToCharArray());

    public static string New()
    {
        Span<char> code = stackalloc char[Length];
        for (var i = 0; i < Length; i++)
        {
            char digit;
            do digit = (char)('1' + RandomNumberGenerator.GetInt32(9));
            while (i > 0 && digit == code[i - 1]);
            code[i] = digit;
        }
        return new string(code);
    }

    /// <summary>Every possible code (9 × 8 × 8 × 8 = 4,608), for when random draws keep hitting taken ones.</summary>
    public static IReadOnlyList<string> All { get; } = Enumerable.Range(1111, 9999 - 1111 + 1)
        .Select(n => n.ToString(System.Globalization.CultureInfo.InvariantCulture)).Where(IsWellFormed).ToArray();

    /// <summary>
    /// The codes no ride holds, in two pools: those no recent ride had (given first; see FreeCodes) and those
    /// only ended rides had. A code taken leaves its pool, so the pools can serve many batches of rides after one listing.
    /// </summary>
    internal sealed class Pools(IReadOnlySet<string> held, IReadOnlySet<string> recent)
    {
        private readonly List<string> _unused = All.Where(c => !held.Contains(c) && !recent.Contains(c)).ToList();
        private readonly List<string> _freed = All.Where(c => !held.Contains(c) && recent.Contains(c)).ToList();

        /// <summary>Whether this code came from the pool of codes no recent ride had.</summary>
        public bool WasUnused(string code) => !recent.Contains(code);

        /// <summary>Up to <paramref name="count"/> codes at random, the unused pool's first; they leave the pools.</summary>
        public List<string> Take(int count)
        {
            var taken = Draw(_unused, count);
            if (taken.Count < count) taken.AddRange(Draw(_freed, count - taken.Count));
            return taken;
        }

        /// <summary>
        /// Up to <paramref name="count"/> of the pool, at random, removed from it: the last steps of a shuffle, so a
        /// batch of a few rides draws a few random numbers, not one for each of thousands of codes.
        /// </summary>
        private static List<string> Draw(List<string> pool, int count)
        {
            var drawn = new List<string>(Math.Min(count, pool.Count));
            while (pool.Count > 0 && drawn.Count < count)
            {
                var j = RandomNumberGenerator.GetInt32(pool.Count);
                drawn.Add(pool[j]);
                pool[j] = pool[^1];
                pool.RemoveAt(pool.Count - 1);
            }
            return drawn;
        }
    }

    public static bool IsWellFormed(string code) =>
        code.Length == Length
        && code.All(c => c is >= '1' and <= '9')
        && Enumerable.Range(1, Length - 1).All(i => code[i] != code[i - 1]);
}
