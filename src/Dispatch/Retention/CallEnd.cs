using Alice.Dispatch.Privacy;
using Alice.Dispatch.Rides;
using Alice.Dispatch.Storage;
using Alice.Dispatch.Totals;
using Alice.Dispatch.Twilio;
using Microsoft.Extensions.Options;

namespace Alice.Dispatch.Retention;

/// <summary>
/// What Twilio's status callback sets off: the call is over, so nothing may tie its ride to it any more.
/// In one transaction, the first time only: the call's key leaves its ride for the list of ended calls
/// (a replayed webhook books nothing), Twilio's own record of the call is queued for deletion, and an
/// answered call is counted in the organisers' totals (a repeated callback counts nothing).
/// </summary>
internal sealed class CallEnd(Database database, EndedCalls endedCalls, CallKeys keys, TwilioRecords records, WeeklyTotals totals, IOptions<RetentionOptions> options, TimeProvider clock)
{
    /// <param name="answeredAt">The campus whose hotline answered the call, when it was answered; null counts nothing.</param>
    public async Task EndAsync(string callSid, string? answeredAt, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var ended = await endedCalls.AddAsync(tx, keys.For(callSid), options.Value.EndedCallUntil(clock.GetUtcNow()), ct);
        if (ended.First)
        {
            await records.QueueDeletionAsync(tx, TwilioRecord.Call, callSid, ct);
            if (answeredAt is not null) await totals.CountCallEndedAsync(tx, answeredAt, booked: ended.HadRide, ct);
        }
        await tx.CommitAsync(ct);
    }
}
