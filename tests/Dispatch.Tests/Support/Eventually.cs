namespace Alice.Dispatch.Tests.Support;

/// <summary>Waits for what the service does in the background (its jobs run every few seconds), failing with what never came true.</summary>
internal static class Eventually
{
    public static Task True(Func<bool> condition, string what, TimeSpan? within = null) => True(() => Task.FromResult(condition()), what, within);

    public static async Task True(Func<Task<bool>> condition, string what, TimeSpan? within = null)
    {
        var deadline = DateTime.UtcNow + (within ?? TimeSpan.FromSeconds(40));
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("Never came true: " + what);
            await Task.Delay(50);
        }
    }
}
