namespace Alice.Testing;

/// <summary>
/// Waits for what runs in the background (jobs, other processes, a browser), failing with what it waited
/// for when the time runs out: a wait never falls through to a later assertion, which would then fail
/// for the wrong reason or, worse, pass without having looked.
/// </summary>
public static class Eventually
{
    /// <summary>Long enough for a job that runs every few seconds on a loaded 2-core machine.</summary>
    public static readonly TimeSpan Within = TimeSpan.FromSeconds(40);

    public static Task True(Func<bool> condition, string what, TimeSpan? within = null) => True(() => Task.FromResult(condition()), what, within);

    public static async Task True(Func<Task<bool>> condition, string what, TimeSpan? within = null) =>
        await Value(async () => await condition(), came => came, what, within);

    /// <summary>Reads until the value read is as wanted, and returns it; fails naming what it waited for and the last value read.</summary>
    public static async Task<T> Value<T>(Func<Task<T>> read, Func<T, bool> wanted, string what, TimeSpan? within = null)
    {
        var deadline = DateTime.UtcNow + (within ?? Within);
        while (true)
        {
            var value = await read();
            if (wanted(value)) return value;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"Never came true within {(within ?? Within).TotalSeconds} s: {what}" + (value is bool ? "" : $" (last read: {Describe(value)})"));
            await Task.Delay(50);
        }
    }

    private static string Describe<T>(T value) => value switch
    {
        null => "null",
        string text => text.Length > 300 ? text[..300] + "…" : text,
        System.Collections.IEnumerable items => "[" + string.Join(", ", items.Cast<object?>().Take(10)) + "]",
        _ => value.ToString() ?? "",
    };
}
