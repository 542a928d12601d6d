namespace Alice.Totals;

/// <summary>
/// A duration counted into fixed buckets of minutes, so that medians and percentiles can be shown
/// without keeping one row per ride. Each bucket is a measure of its own in <c>weekly_totals</c>
/// (<c>booking_to_pickup_lt_10</c>: at least the previous bound, under 10 minutes).
/// </summary>
public sealed class Histogram
{
    /// <summary>From the booking code (the ride written) to the passenger on board.</summary>
    public static readonly Histogram BookingToPickup = new("booking_to_pickup");

    /// <summary>From the passenger on board to the ride ending at the centre.</summary>
    public static readonly Histogram PickupToArrival = new("pickup_to_arrival");

    public static IReadOnlyList<Histogram> All { get; } = [BookingToPickup, PickupToArrival];

    /// <summary>Upper bounds in minutes (exclusive); the last bucket is everything from 90 minutes on.</summary>
    public static IReadOnlyList<int> Bounds { get; } = [5, 10, 15, 20, 25, 30, 40, 50, 60, 90];

    private Histogram(string name) => Name = name;

    public string Name { get; }

    /// <summary>The buckets' measure names, shortest first.</summary>
    public IReadOnlyList<string> Buckets => [.. Bounds.Select(b => $"{Name}_lt_{b}"), $"{Name}_ge_{Bounds[^1]}"];

    /// <summary>The measure name of the bucket this duration falls in (a negative one, from a clock step, counts as zero).</summary>
    public string BucketOf(TimeSpan duration)
    {
        var minutes = Math.Max(0, duration.TotalMinutes);
        var index = Bounds.TakeWhile(b => minutes >= b).Count();
        return Buckets[index];
    }

    /// <summary>The minutes a bucket stands for when a percentile falls in it: its upper bound (the last, its lower bound).</summary>
    public static int MinutesOf(int bucketIndex) => Bounds[Math.Min(bucketIndex, Bounds.Count - 1)];
}
