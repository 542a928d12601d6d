using Quartz;

namespace Alice.Dispatch.Booking;

/// <summary>
/// Schedules the booking sweep when the service starts: right away (a crash or a power cut could
/// have come between writing a ride and scheduling its job) and then every few seconds, so a ride
/// whose job was lost for any reason is picked up again long before its hand-over deadline.
/// </summary>
internal sealed class BookingRecovery : RecurringJobSet
{
    public override IEnumerable<(Type, JobKey, TimeSpan)> Jobs => [(typeof(BookingSweepJob), BookingSweepJob.Key, BookingSweepJob.Interval)];
}
