namespace Alice.Dispatch.Booking;

/// <summary>
/// The timing of a booking, as pure decisions on a given time (tested on a fake clock): which partner a
/// waiting ride is asked of now and until when, when a person takes over, and how long to wait between
/// runs. Partners are named, never counted by position: reordering the configured list while rides
/// wait moves none of them.
/// </summary>
internal static class BookingPlan
{
    internal abstract record Step
    {
        /// <summary>The hand-over deadline has passed: a person takes over.</summary>
        public sealed record HandOver : Step;

        /// <summary>
        /// Ask <paramref name="Partner"/> now, for no longer than <paramref name="Until"/>. <paramref name="Moved"/>:
        /// the ride moves on to it (record that first). <paramref name="After"/>: who is asked if it refuses, if anyone.
        /// </summary>
        public sealed record Ask(string Partner, bool Moved, DateTimeOffset Until, string? After) : Step;
    }

    /// <param name="trying">The partner the ride is with, by name (null: none yet).</param>
    /// <param name="asked">Every partner asked for the ride so far.</param>
    /// <param name="since">Since when <paramref name="trying"/> has the ride.</param>
    /// <param name="handOverAt">The ride's stored hand-over deadline.</param>
    /// <param name="partners">The configured partners, in order of preference.</param>
    public static Step Next(string? trying, IReadOnlyCollection<string> asked, DateTimeOffset since, DateTimeOffset handOverAt,
        IReadOnlyList<string> partners, TimeSpan budget, DateTimeOffset now)
    {
        if (now >= handOverAt) return new Step.HandOver();
        var current = trying is not null && partners.Contains(trying) ? trying : null;
        var moved = false;
        // A partner that was removed from the configuration cannot be asked: the next one is.
        if (current is null || (now - since >= budget && Unasked(partners, asked, current) is not null))
        {
            current = Unasked(partners, asked, current) ?? current ?? partners[^1];
            moved = current != trying;
            if (moved) since = now;
        }
        var after = Unasked(partners, asked, current);
        // A partner's time ends with its budget or, when no other is left, at the hand-over deadline.
        var budgetEnd = since + budget;
        var until = after is not null && budgetEnd < handOverAt ? budgetEnd : handOverAt;
        return new Step.Ask(current, moved, until, after);
    }

    /// <summary>The first configured partner not yet asked (and not <paramref name="current"/>): who a ride moves on to.</summary>
    public static string? Unasked(IReadOnlyList<string> partners, IReadOnlyCollection<string> asked, string? current = null) =>
        partners.FirstOrDefault(p => p != current && !asked.Contains(p));

    /// <summary>
    /// 0.5, 1, 2, then every 3 seconds, each ±20% (<paramref name="random"/> in [0, 1)): a partner's recovery
    /// is noticed within seconds, and while its circuit is open these attempts fail at once without reaching it.
    /// </summary>
    public static TimeSpan Backoff(int attempt, double random) =>
        TimeSpan.FromSeconds(Math.Min(3, 0.5 * Math.Pow(2, attempt)) * (0.8 + 0.4 * random));

    /// <summary>When to come back after a failed run: the backoff, or later if the partner asked, but never past <paramref name="until"/>.</summary>
    public static TimeSpan RetryDelay(int attempt, TimeSpan? retryAfter, DateTimeOffset until, DateTimeOffset now, double random)
    {
        var delay = Backoff(attempt, random);
        if (retryAfter > delay) delay = retryAfter.Value;
        var left = until - now;
        return delay > left ? (left > TimeSpan.Zero ? left : TimeSpan.Zero) : delay;
    }
}
