using System.Data.Common;
using System.Security.Cryptography;
using Alice.Dispatch.Storage;
using Dapper;

namespace Alice.Dispatch.Rides;

/// <summary>
/// Booking codes are four digits spoken one by one. To be heard right on a bad line and repeated to
/// a driver, they use 1-9 only ("zero" and "oh" get confused, and a leading zero gets dropped) and never
/// the same digit twice in a row ("seven seven" is easily heard as one seven).
/// A new ride's code is picked inside the transaction that writes it (on PostgreSQL another instance may
/// pick the same one at the same moment: the unique index on active codes refuses the second, which tries
/// again, see <see cref="RideStore.InsertOrGetAsync"/>): held by no active ride, and a code a ride
/// still in the table had (an ended ride waits a day for retention) only once no other is free, so that a
/// driver or the centre meeting a code finds one ride, even one a person took over.
/// </summary>
internal static class BookingCodes
{
    public const int Length = 4;

    /// <summary>
    /// Random codes tried at once, in one query. At this service's load (a few dozen rides a day among 4,608
    /// codes) the first is free nearly always. A flood at the abuse limits (30 rides in 10 minutes, thousands in
    /// a day per campus) leaves most codes on stored rides until retention: with two thirds of them stored,
    /// 8 draws all missed one booking in 28 and sent it to the listing (every stored code, grouped: about 6 ms
    /// over 6,000 rides, inside the transaction writing the ride); 32 draws miss one in 600,000, and cost one
    /// index lookup each.
    /// </summary>
    private const int RandomDraws = 32;

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
    /// A code at random among those on no stored ride (<paramref name="stored"/>); when none is left, among those
    /// only ended rides have (not <paramref name="held"/> by an active one); null when every code is held.
    /// </summary>
    public static string? PickFree(IReadOnlySet<string> held, IReadOnlySet<string> stored)
    {
        var unused = All.Where(c => !stored.Contains(c)).ToList();
        var pool = unused.Count > 0 ? unused : All.Where(c => !held.Contains(c)).ToList();
        return pool.Count == 0 ? null : pool[RandomNumberGenerator.GetInt32(pool.Count)];
    }

    public static bool IsWellFormed(string code) =>
        code.Length == Length
        && code.All(c => c is >= '1' and <= '9')
        && Enumerable.Range(1, Length - 1).All(i => code[i] != code[i - 1]);

    /// <summary>A free code for a new ride, in the transaction writing it; null when every code is held by an active ride.</summary>
    public static async Task<string?> PickFreeAsync(Database database, DbTransaction tx, CancellationToken ct)
    {
        var candidates = Enumerable.Range(0, RandomDraws).Select(_ => New()).Distinct().ToList();
        var stored = (await tx.Connection!.QueryAsync<string>(new CommandDefinition(
            $"SELECT booking_code FROM rides WHERE {database.InList("booking_code", "candidates")};",
            new { candidates }, tx, cancellationToken: ct))).ToHashSet();
        if (candidates.FirstOrDefault(c => !stored.Contains(c)) is { } unused) return unused;

        // Most codes are on stored rides: every stored code, listed once, and one of the others at random.
        var listed = (await tx.Connection!.QueryAsync<(string Code, long Active)>(new CommandDefinition(
            "SELECT booking_code, MAX(CASE WHEN ended_at IS NULL THEN 1 ELSE 0 END) FROM rides GROUP BY booking_code;",
            transaction: tx, cancellationToken: ct))).ToList();
        return PickFree(
            listed.Where(s => s.Active == 1).Select(s => s.Code).ToHashSet(),
            listed.Select(s => s.Code).ToHashSet());
    }
}
