using System.Data.Common;
using Alice.Accounts;
using Dapper;

namespace Alice.Dispatch.Retention;

/// <summary>
/// The staff's audit entries about rides (an arrival, a police request, an alert acknowledged or resolved)
/// leave with the retention window of the rides: kept, even to the hour and without their subject, they
/// would date one person's arrival or police request and name who received them, finer than the
/// organisers' weeks, for good. The weekly totals count arrivals and police requests already. Account
/// entries are not about a caller and stay.
/// </summary>
internal static class RideAudit
{
    /// <summary>
    /// Deletes the entries about rides written before <paramref name="before"/>; how many. Every action about
    /// a ride is read from the actions' own declaration (<see cref="AuditSubject.Ride"/>): a new one leaves
    /// with the rides without a list here to keep up to date.
    /// </summary>
    public static Task<int> DeleteAsync(DbTransaction tx, DateTimeOffset before, CancellationToken ct)
    {
        var parameters = new DynamicParameters(new { before = before.ToUnixTimeSeconds() });
        return tx.Connection!.ExecuteAsync(new CommandDefinition(
            $"DELETE FROM audit_log WHERE at < @before AND {AuditActions.AboutCondition(AuditSubject.Ride, parameters)};", parameters, tx, cancellationToken: ct));
    }
}
