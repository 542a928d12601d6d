using Alice.Dispatch.Partners;
using Microsoft.Extensions.Options;
using Quartz;

namespace Alice.Dispatch.Booking;

/// <summary>
/// Cancels a partner booking the ride no longer needs (a partner that answered after another had
/// taken the ride, or a taxi the centre called off by marking its passenger arrived), so a ride has at
/// most one live booking, and none once its passenger is at the centre. Retried with backoff for an hour: a
/// needless taxi is a cost, not a danger, but it should not be left standing.
/// </summary>
[DisallowConcurrentExecution]
internal sealed class CancelBookingJob(PartnerClient partners, BookingScheduler scheduler, IOptions<PartnerOptions> options, TimeProvider clock, ILogger<CancelBookingJob> logger) : IJob
{
    public const string PartnerKey = "partner";
    public const string BookingIdKey = "bookingId";
    public const string RideIdKey = "rideId";
    /// <summary>When the cancellation was first asked for (unix seconds).</summary>
    public const string SinceKey = "since";
    private static readonly TimeSpan GiveUpAfter = TimeSpan.FromHours(1);

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken ct)
    {
        var data = context.MergedJobDataMap;
        var partner = options.Value.Providers.FirstOrDefault(p => p.Name == data.GetString(PartnerKey));
        if (partner is null) return;
        var bookingId = data.GetString(BookingIdKey)!;
        if (await partners.CancelAsync(partner, bookingId, data.GetString(RideIdKey)!, ct))
        {
            logger.LogInformation("Cancelled {Partner}'s booking for ride {RideId}", partner.Name, data.GetString(RideIdKey));
            return;
        }
        if (clock.GetUtcNow() - DateTimeOffset.FromUnixTimeSeconds(long.Parse(data.GetString(SinceKey)!, System.Globalization.CultureInfo.InvariantCulture)) > GiveUpAfter)
        {
            logger.LogError("Could not cancel {Partner}'s booking for ride {RideId} within an hour", partner.Name, data.GetString(RideIdKey));
            return;
        }
        var attempt = BookingScheduler.AttemptOf(context);
        await scheduler.RunAgainAsync(context, TimeSpan.FromSeconds(Math.Min(60, Math.Pow(2, attempt))), attempt + 1, ct);
    }
}
