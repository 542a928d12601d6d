using System.Data.Common;
using Alice.Totals;
using Dapper;

namespace Alice.Dispatch.Totals;

/// <summary>
/// Adds to the organisers' totals (<c>weekly_totals</c>): one count for a campus in the current ISO week,
/// inside the transaction of the event it counts, so a total can neither miss an event nor count one that
/// was rolled back. A row holds a campus, a week, a measure and a number: nothing that leads back to a ride.
/// </summary>
internal sealed class WeeklyTotals(TimeProvider clock)
{
    /// <summary>One more, or <paramref name="count"/> more.</summary>
    public Task CountAsync(DbTransaction tx, string campus, Measure measure, CancellationToken ct, int count = 1) =>
        AddAsync(tx, campus, measure.Name(), count, ct);

    /// <summary>One more in the histogram's bucket for this duration.</summary>
    public Task CountDurationAsync(DbTransaction tx, string campus, Histogram histogram, TimeSpan duration, CancellationToken ct) =>
        AddAsync(tx, campus, histogram.BucketOf(duration), 1, ct);

    /// <summary>
    /// An answered call has ended (Twilio's status callback): counted, and counted again as ending without
    /// a booking when no ride was written for it. In the transaction that records the call's end.
    /// </summary>
    public async Task CountCallEndedAsync(DbTransaction tx, string campus, bool booked, CancellationToken ct)
    {
        await CountAsync(tx, campus, Measure.CallsAnswered, ct);
        if (!booked) await CountAsync(tx, campus, Measure.CallsWithoutBooking, ct);
    }

    private Task AddAsync(DbTransaction tx, string campus, string measure, int count, CancellationToken ct) =>
        tx.Connection!.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO weekly_totals (campus, week, measure, value) VALUES (@campus, @week, @measure, @count)
            ON CONFLICT (campus, week, measure) DO UPDATE SET value = weekly_totals.value + excluded.value;
            """,
            new { campus, week = Week.Of(clock.GetUtcNow()).Key, measure, count }, tx, cancellationToken: ct));
}
