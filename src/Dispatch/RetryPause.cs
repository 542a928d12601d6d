namespace Alice.Dispatch;

internal static class RetryPause
{
    /// <summary>
    /// The pause after the <paramref name="failures"/>-th failure in a row: <paramref name="first"/>, then
    /// twice as long each time, never more than <paramref name="longest"/>.
    /// </summary>
    public static TimeSpan Doubling(int failures, TimeSpan first, TimeSpan longest) =>
        TimeSpan.FromSeconds(Math.Min(longest.TotalSeconds, first.TotalSeconds * Math.Pow(2, Math.Max(0, failures - 1))));
}
