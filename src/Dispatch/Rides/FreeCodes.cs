using System.Data.Common;
using Alice.Dispatch.Storage;
using Dapper;

namespace Alice.Dispatch.Rides;

/// <summary>
/// Hands out booking codes for new rides, inside the transaction that writes them: distinct, held by no
/// active ride, and a code an ended ride still in the table had (for a day after it ended) only once no
/// other is free, so that a driver or the centre meeting a code finds one ride, even one a person took over.
/// While few codes are used, a few random draws a ride, checked in one query, find them. Once too many are
/// used (a busy night, a flood), every stored code is listed once and the free ones kept here in two pools
/// that serve the batches after it: listing every ride for every batch was most of the writer's work in
/// a flood. What another instance or a deletion changed since the listing is caught by the check each code
/// still gets, or by the next listing (after <see cref="ListingKept"/>, or when the pools run short).
/// </summary>
internal sealed class FreeCodes(Database database, TimeProvider clock)
{
    /// <summary>Random codes tried a ride, all at once, before the stored codes are listed: cheap while few rides are active.</summary>
    private const int RandomDraws = 8;

    /// <summary>
    /// How long the pools are drawn from before the codes are listed again: long enough to serve a flood
    /// from one listing, short enough that codes freed meanwhile (rides ended or deleted) are soon given again.
    /// </summary>
    private static readonly TimeSpan ListingKept = TimeSpan.FromMinutes(1);

    private readonly Lock _lock = new();
    private (BookingCodes.Pools Pools, DateTimeOffset At)? _listing;

    /// <summary>Distinct free codes, as many as asked while any are free; fewer only when too few are.</summary>
    public async Task<List<string>> PickAsync(DbConnection connection, DbTransaction tx, int count, CancellationToken ct)
    {
        if (count == 0) return [];
        var listed = Listed();
        var free = listed is null ? await DrawAnyAsync(connection, tx, count, ct) : await DrawListedAsync(connection, tx, listed, count, ct);
        if (free.Count == count) return free;

        var stored = (await connection.QueryAsync<(string Code, long Active)>(new CommandDefinition(
            "SELECT booking_code, MAX(CASE WHEN ended_at IS NULL THEN 1 ELSE 0 END) FROM rides GROUP BY booking_code;",
            transaction: tx, cancellationToken: ct))).ToList();
        var held = stored.Where(s => s.Active == 1).Select(s => s.Code).ToHashSet();
        held.UnionWith(free);
        var pools = new BookingCodes.Pools(held, stored.Select(s => s.Code).ToHashSet());
        lock (_lock)
        {
            free.AddRange(pools.Take(count - free.Count));
            _listing = (pools, clock.GetUtcNow());
        }
        return free;
    }

    /// <summary>Rides were deleted (retention): codes no stored ride has any more are in neither pool, so the next batch lists again.</summary>
    public void Forget()
    {
        lock (_lock) _listing = null;
    }

    private BookingCodes.Pools? Listed()
    {
        lock (_lock)
        {
            if (_listing is { } l && clock.GetUtcNow() - l.At > ListingKept) _listing = null;
            return _listing?.Pools;
        }
    }

    /// <summary>Random codes from the whole space that no stored ride has.</summary>
    private async Task<List<string>> DrawAnyAsync(DbConnection connection, DbTransaction tx, int count, CancellationToken ct)
    {
        // Never more random draws than codes: past that, listing the stored codes is what works anyway.
        var candidates = Enumerable.Range(0, Math.Min(count * RandomDraws, BookingCodes.All.Count)).Select(_ => BookingCodes.New()).Distinct().ToList();
        var used = (await StoredAsync(connection, tx, candidates, ct)).Select(s => s.Code).ToHashSet();
        return candidates.Where(c => !used.Contains(c)).Take(count).ToList();
    }

    /// <summary>
    /// Codes from the pools, each checked: one from the unused pool must still be on no stored ride, one from the
    /// freed pool on no active ride (another instance may have given it meanwhile). Empty when any failed the check.
    /// </summary>
    private async Task<List<string>> DrawListedAsync(DbConnection connection, DbTransaction tx, BookingCodes.Pools pools, int count, CancellationToken ct)
    {
        List<string> candidates;
        lock (_lock) candidates = pools.Take(count);
        var stored = await StoredAsync(connection, tx, candidates, ct);
        return stored.Any(s => s.Active == 1 || pools.WasUnused(s.Code)) ? [] : candidates;
    }

    /// <summary>The stored rides that have one of these codes: each one's code, and 1 when it is active.</summary>
    private async Task<IEnumerable<(string Code, long Active)>> StoredAsync(DbConnection connection, DbTransaction tx, List<string> candidates, CancellationToken ct) =>
        await connection.QueryAsync<(string Code, long Active)>(new CommandDefinition(
            $"SELECT booking_code, CASE WHEN ended_at IS NULL THEN 1 ELSE 0 END FROM rides WHERE {database.InList("booking_code", "candidates")};",
            new { candidates }, tx, cancellationToken: ct));
}
