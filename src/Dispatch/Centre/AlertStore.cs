using System.Data.Common;
using Alice.Dispatch.Storage;
using Dapper;

namespace Alice.Dispatch.Centre;

/// <summary>Why a person must act on a ride.</summary>
internal enum AlertKind
{
    /// <summary>No partner confirmed in time, or none was left after one gave the booking up.</summary>
    NeedsPerson,
}

/// <summary>
/// The one door to the alerts table: something a person at the centre must act on. The centre console
/// will read and resolve them; for now they are raised with the ride change that causes them.
/// </summary>
internal sealed class AlertStore(Database database, TimeProvider clock)
{
    private static readonly Dictionary<AlertKind, string> Kinds = new() { [AlertKind.NeedsPerson] = "needs_person" };

    /// <summary>Raises an alert in the caller's transaction, so it exists exactly when the change that causes it does.</summary>
    public async Task RaiseAsync(DbTransaction tx, string rideId, AlertKind kind, CancellationToken ct) =>
        await tx.Connection!.ExecuteAsync(new CommandDefinition(
            "INSERT INTO alerts (id, ride_id, kind, created_at) VALUES (@id, @rideId, @kind, @now);",
            new { id = Guid.NewGuid().ToString(), rideId, kind = Kinds[kind], now = clock.GetUtcNow().ToUnixTimeSeconds() }, tx, cancellationToken: ct));

    /// <summary>The rides with an alert nobody has resolved yet, oldest first.</summary>
    public async Task<IReadOnlyList<string>> OpenAsync(CancellationToken ct)
    {
        await using var connection = await database.Recoverable.OpenConnectionAsync(ct);
        return (await connection.QueryAsync<string>(new CommandDefinition(
            "SELECT ride_id FROM alerts WHERE resolved_at IS NULL ORDER BY created_at;", cancellationToken: ct))).AsList();
    }
}
