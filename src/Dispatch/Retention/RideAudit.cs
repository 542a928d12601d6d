using System.Data.Common;
using Dapper;

namespace Alice.Dispatch.Retention;

/// <summary>
/// The staff's audit entries about rides (an arrival, a police request, an alert acknowledged or resolved)
/// leave with the retention window of the rides: kept, even to the hour and without their subject, they
/// would date one person's arrival or police request and name who received them, finer than the
/// organisers' weeks, for good. The weekly totals count arrivals and police requests already. Account
/// entries (<c>account.*</c>) are not about a caller and stay.
/// </summary>
internal static class RideAudit
{
    /// <summary>Audit actions about a ride (its booking code or an alert is their subject).</summary>
    public static readonly IReadOnlyList<string> Actions = ["ride.", "alert.", "police."];

    /// <summary>Deletes the entries about rides written before <paramref name="before"/>; how many.</summary>
    public static Task<int> DeleteAsync(DbTransaction tx, DateTimeOffset before, CancellationToken ct)
    {
        var parameters = new DynamicParameters(new { before = before.ToUnixTimeSeconds() });
        var matches = Actions.Select((prefix, i) =>
        {
            parameters.Add($"p{i}", prefix + "%");
            return $"action LIKE @p{i}";
        });
        return tx.Connection!.ExecuteAsync(new CommandDefinition(
            $"DELETE FROM audit_log WHERE at < @before AND ({string.Join(" OR ", matches)});", parameters, tx, cancellationToken: ct));
    }
}
