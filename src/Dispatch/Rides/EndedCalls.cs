using System.Data.Common;
using Alice.Dispatch.Storage;
using Dapper;

namespace Alice.Dispatch.Rides;

/// <summary>
/// The calls that have ended (table <c>ended_calls</c>): their keys are remembered for a while, so a replayed
/// webhook books nothing, and no ride holds them any more, so nothing ties a ride to its call.
/// </summary>
internal sealed class EndedCalls(Database database)
{
    /// <summary>What a call key becomes once the call has ended: derived from the ride alone, so unique and matching no CallSid.</summary>
    private const string NoCallKey = "'ended:' || id";

    /// <summary>Whether this call has ended, in the transaction about to write its ride.</summary>
    public async Task<bool> ContainsAsync(DbTransaction tx, string callKey, CancellationToken ct) =>
        await tx.Connection!.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM ended_calls WHERE call_key = @callKey;", new { callKey }, tx, cancellationToken: ct)) > 0;

    /// <summary>
    /// The call has ended: its key is remembered until <paramref name="until"/> (so a replayed webhook books
    /// nothing) and no ride holds it any more. In the caller's transaction; First is false when the call had
    /// ended already (a repeated status callback), which changes nothing.
    /// </summary>
    public async Task<(bool First, bool HadRide)> AddAsync(DbTransaction tx, string callKey, DateTimeOffset until, CancellationToken ct)
    {
        var first = await tx.Connection!.ExecuteAsync(new CommandDefinition(
            "INSERT INTO ended_calls (call_key, expires_at) VALUES (@callKey, @until) ON CONFLICT DO NOTHING;",
            new { callKey, until = until.ToUnixTimeSeconds() }, tx, cancellationToken: ct)) == 1;
        var hadRide = await tx.Connection!.ExecuteAsync(new CommandDefinition(
            $"UPDATE rides SET call_key = {NoCallKey} WHERE call_key = @callKey;", new { callKey }, tx, cancellationToken: ct)) == 1;
        return (first, hadRide);
    }

    /// <summary>
    /// Rides made before <paramref name="before"/> whose call key is still held (their status callback never
    /// came): the calls are long over, so their keys go the same way. Returns how many.
    /// </summary>
    public async Task<int> AddStaleAsync(DateTimeOffset before, DateTimeOffset until, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var args = new { before = before.ToUnixTimeSeconds(), until = until.ToUnixTimeSeconds() };
        const string stale = "created_at < @before AND call_key NOT LIKE 'ended:%'";
        await connection.ExecuteAsync(new CommandDefinition(
            $"INSERT INTO ended_calls (call_key, expires_at) SELECT call_key, @until FROM rides WHERE {stale} ON CONFLICT DO NOTHING;", args, tx, cancellationToken: ct));
        var forgotten = await connection.ExecuteAsync(new CommandDefinition(
            $"UPDATE rides SET call_key = {NoCallKey} WHERE {stale};", args, tx, cancellationToken: ct));
        await tx.CommitAsync(ct);
        return forgotten;
    }

    /// <summary>Ended calls remembered past their time: a replay so late meets the partner's and Twilio's deleted records, not a taxi.</summary>
    public async Task<int> ForgetExpiredAsync(DbTransaction tx, DateTimeOffset now, CancellationToken ct) =>
        await tx.Connection!.ExecuteAsync(new CommandDefinition(
            "DELETE FROM ended_calls WHERE expires_at <= @now;", new { now = now.ToUnixTimeSeconds() }, tx, cancellationToken: ct));
}
