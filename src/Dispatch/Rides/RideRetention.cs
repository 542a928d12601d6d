using System.Data.Common;
using Alice.Dispatch.Storage;
using Dapper;

namespace Alice.Dispatch.Rides;

/// <summary>What the retention sweep asks of the rides table: ended rides' times blurred, rides whose time is up found and deleted.</summary>
internal sealed class RideRetention(Database database)
{
    private static readonly string[] Times =
        ["created_at", "updated_at", "ended_at", "partner_since", "waiting_since", "hand_over_at", "eta_at", "on_board_at"];

    /// <summary>Rides one retention run deletes at most: a run stays short, and the next one takes the rest.</summary>
    private const int DeletedPerRun = 1000;

    /// <summary>
    /// Every ended ride keeps its times only to the hour: exact times serve a ride under way, and once it has
    /// ended they would line it up with the telephony provider's call log. Returns how many rides changed.
    /// </summary>
    public Task<int> CoarsenEndedAsync(CancellationToken ct) =>
        database.ExecuteAsync($"UPDATE rides SET {Hours.Coarsen(Times)} WHERE ended_at IS NOT NULL AND {Hours.AnyFiner(Times)};", new { }, ct);

    /// <summary>The ids of rides whose time is up: ended before <paramref name="endedBefore"/>, or made before <paramref name="madeBefore"/> whatever became of them.</summary>
    public async Task<IReadOnlyList<string>> ExpiredIdsAsync(DateTimeOffset endedBefore, DateTimeOffset madeBefore, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var ids = await connection.QueryAsync<string>(new CommandDefinition(
            $"SELECT id FROM rides WHERE ended_at < @endedBefore OR created_at < @madeBefore LIMIT {DeletedPerRun};",
            new { endedBefore = endedBefore.ToUnixTimeSeconds(), madeBefore = madeBefore.ToUnixTimeSeconds() }, cancellationToken: ct));
        return ids.AsList();
    }

    /// <summary>Deletes these rides for good, in the caller's transaction (with everything else held for them); their codes may be unused again.</summary>
    public async Task DeleteAsync(DbTransaction tx, IReadOnlyList<string> ids, CancellationToken ct)
    {
        await tx.Connection!.ExecuteAsync(new CommandDefinition(
            $"DELETE FROM rides WHERE {database.InList("id", "ids")};", new { ids = ids.ToArray() }, tx, cancellationToken: ct));
    }
}
