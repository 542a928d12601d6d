using System.Data.Common;
using System.Security.Cryptography;
using Alice.Dispatch.Storage;
using Dapper;

namespace Alice.Dispatch.Rides;

/// <summary>
/// Gives a new ride its booking code, inside the transaction that writes it (which is the only one writing
/// new rides at the time, see <see cref="Database.NewRidesLock"/>): held by no active ride, and a code a ride
/// still in the table had (an ended ride waits a day for retention) only once no other is free, so that a
/// driver or the centre meeting a code finds one ride, even one a person took over.
/// </summary>
internal static class FreeCodes
{
    /// <summary>
    /// Random codes tried at once, in one query. At this service's load (a few dozen rides a day among 4,608
    /// codes) the first is free nearly always; only a flood holding most codes gets to the listing.
    /// </summary>
    private const int RandomDraws = 8;

    /// <summary>A free code, or null when every code is held by an active ride.</summary>
    public static async Task<string?> PickAsync(Database database, DbTransaction tx, CancellationToken ct)
    {
        var candidates = Enumerable.Range(0, RandomDraws).Select(_ => BookingCodes.New()).Distinct().ToList();
        var stored = (await tx.Connection!.QueryAsync<string>(new CommandDefinition(
            $"SELECT booking_code FROM rides WHERE {database.InList("booking_code", "candidates")};",
            new { candidates }, tx, cancellationToken: ct))).ToHashSet();
        if (candidates.FirstOrDefault(c => !stored.Contains(c)) is { } unused) return unused;

        // Most codes are on stored rides: every stored code, listed once, and one of the others at random.
        var listed = (await tx.Connection!.QueryAsync<(string Code, long Active)>(new CommandDefinition(
            "SELECT booking_code, MAX(CASE WHEN ended_at IS NULL THEN 1 ELSE 0 END) FROM rides GROUP BY booking_code;",
            transaction: tx, cancellationToken: ct))).ToList();
        return BookingCodes.PickFree(
            listed.Where(s => s.Active == 1).Select(s => s.Code).ToHashSet(),
            listed.Select(s => s.Code).ToHashSet());
    }
}
