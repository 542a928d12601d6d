using Alice.Dispatch.Booking;
using Microsoft.Extensions.Time.Testing;

namespace Alice.Dispatch.Tests;

/// <summary>
/// The timing of a booking on a fake clock: which partner a waiting ride is asked of, until when, when a
/// person takes over, and the backoff between runs. No sleeping: the clock is moved by hand.
/// </summary>
public class BookingPlanTests
{
    private static readonly DateTimeOffset Booked = new(2026, 12, 1, 22, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(30);
    private static readonly DateTimeOffset HandOverAt = Booked.AddSeconds(120);
    private static readonly string[] Partners = ["first", "second", "third"];

    // seconds after booking | partner the ride is with | partners asked | since (s) | expected partner | moved | until (s) | who next if refused
    [Theory]
    [InlineData(0, "first", "first", 0, "first", false, 30, "second")]
    [InlineData(29, "first", "first", 0, "first", false, 30, "second")]
    [InlineData(30, "first", "first", 0, "second", true, 60, "third")]        // its budget is spent: the next one
    [InlineData(45, "second", "first,second", 30, "second", false, 60, "third")]
    [InlineData(61, "second", "first,second", 30, "third", true, 120, null)]  // the last partner keeps it until the hand-over
    [InlineData(119, "third", "first,second,third", 61, "third", false, 120, null)]
    [InlineData(100, "first", "first", 90, "first", false, 120, "second")]    // a budget ending after the hand-over ends at it
    public void A_waiting_ride_is_asked_of_its_partner_until_its_budget_then_of_the_next(
        int at, string trying, string asked, int since, string expected, bool moved, int until, string? next)
    {
        var clock = new FakeTimeProvider(Booked);
        clock.Advance(TimeSpan.FromSeconds(at));

        var step = BookingPlan.Next(trying, asked.Split(','), Booked.AddSeconds(since), HandOverAt, Partners, Budget, clock.GetUtcNow());

        var ask = Assert.IsType<BookingPlan.Step.Ask>(step);
        Assert.Equal(expected, ask.Partner);
        Assert.Equal(moved, ask.Moved);
        Assert.Equal(Booked.AddSeconds(until), ask.Until);
        Assert.Equal(next, ask.After);
    }

    [Theory]
    [InlineData(120)]
    [InlineData(121)]
    [InlineData(3600)]
    public void At_the_hand_over_deadline_a_person_takes_over_whoever_has_the_ride(int at)
    {
        var clock = new FakeTimeProvider(Booked);
        clock.Advance(TimeSpan.FromSeconds(at));
        Assert.IsType<BookingPlan.Step.HandOver>(BookingPlan.Next("second", ["first", "second"], Booked, HandOverAt, Partners, Budget, clock.GetUtcNow()));
    }

    [Fact]
    public void Reordering_the_partners_keeps_a_ride_with_the_partner_it_is_with()
    {
        // The ride is with "first" (five seconds into its budget) when the operator puts "second" first.
        var step = BookingPlan.Next("first", ["first"], Booked, HandOverAt, ["second", "first"], Budget, Booked.AddSeconds(5));

        var ask = Assert.IsType<BookingPlan.Step.Ask>(step);
        Assert.Equal("first", ask.Partner);
        Assert.False(ask.Moved);
        Assert.Equal("second", ask.After);
    }

    [Fact]
    public void A_partner_removed_from_the_configuration_hands_its_waiting_ride_to_the_first_not_yet_asked()
    {
        var ask = Assert.IsType<BookingPlan.Step.Ask>(
            BookingPlan.Next("gone", ["gone"], Booked, HandOverAt, Partners, Budget, Booked.AddSeconds(5)));
        Assert.Equal(("first", true, Booked.AddSeconds(35)), (ask.Partner, ask.Moved, ask.Until));
    }

    // attempt | random in [0, 1) | expected seconds
    [Theory]
    [InlineData(0, 0.5, 0.5)]
    [InlineData(1, 0.5, 1.0)]
    [InlineData(2, 0.5, 2.0)]
    [InlineData(3, 0.5, 3.0)]   // capped: a partner's recovery is noticed within seconds
    [InlineData(9, 0.5, 3.0)]
    [InlineData(0, 0.0, 0.4)]   // -20%
    [InlineData(2, 0.999999, 2.4)] // +20%
    public void The_backoff_doubles_from_half_a_second_to_three_with_a_fifth_of_jitter(int attempt, double random, double seconds) =>
        Assert.Equal(seconds, BookingPlan.Backoff(attempt, random).TotalSeconds, precision: 3);

    // attempt | Retry-After (s, -1 none) | seconds left of the partner's time | expected delay (s)
    [Theory]
    [InlineData(0, -1, 60, 0.5)]
    [InlineData(0, 5, 60, 5.0)]   // the partner asked for longer than the backoff
    [InlineData(3, 1, 60, 3.0)]   // the backoff is longer than what was asked
    [InlineData(3, -1, 1.5, 1.5)] // never past the partner's time (or the hand-over)
    [InlineData(3, 10, -2, 0.0)]  // already past it: at once, and the next run hands over or moves on
    public void A_failed_run_comes_back_after_the_backoff_or_the_partners_retry_after_but_never_past_its_time(
        int attempt, double retryAfter, double left, double expected)
    {
        var clock = new FakeTimeProvider(Booked);
        var until = clock.GetUtcNow().AddSeconds(left);
        var delay = BookingPlan.RetryDelay(attempt, retryAfter < 0 ? null : TimeSpan.FromSeconds(retryAfter), until, clock.GetUtcNow(), random: 0.5);
        Assert.Equal(expected, delay.TotalSeconds, precision: 3);
    }
}
