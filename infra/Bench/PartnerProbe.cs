using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;

namespace Alice.Bench;

/// <summary>Reads what the partner simulator holds, to wait for the service's background work, and sets when it reports a ride's progress.</summary>
internal sealed class PartnerProbe(string partnerUrl)
{
    private readonly HttpClient _http = new() { BaseAddress = new Uri(partnerUrl) };

    public Task<int> CountAsync() => ReadAsync(ledger => ledger.GetProperty("bookings").GetArrayLength());

    /// <summary>Waits (at most two minutes) until the partner holds this many bookings; returns how long that took.</summary>
    public Task<TimeSpan> WaitForBookingsAsync(int expected) => WaitForAsync("bookings", CountAsync, expected);

    /// <summary>Waits (at most two minutes) until the partner has told the service of this many events.</summary>
    public Task<TimeSpan> WaitForEventsAsync(int expected) =>
        WaitForAsync("events", () => ReadAsync(ledger => ledger.GetProperty("eventsSent").GetInt32()), expected);

    /// <summary>Every later booking's events (accepted … dropped off) come this long after it.</summary>
    public async Task SetEventDelayAsync(TimeSpan delay)
    {
        var ms = (int)delay.TotalMilliseconds;
        using var content = JsonContent.Create(new { acceptedAfterMs = ms, driverArrivedAfterMs = ms, onBoardAfterMs = ms, droppedOffAfterMs = ms });
        (await _http.PostAsync("/faults", content)).EnsureSuccessStatusCode();
    }

    private async Task<int> ReadAsync(Func<JsonElement, int> read)
    {
        using var json = JsonDocument.Parse(await _http.GetStringAsync("/bookings"));
        return read(json.RootElement);
    }

    private static async Task<TimeSpan> WaitForAsync(string what, Func<Task<int>> count, int expected)
    {
        var clock = Stopwatch.StartNew();
        while (await count() < expected)
        {
            if (clock.Elapsed > TimeSpan.FromMinutes(2)) throw new TimeoutException($"The partner has {await count()} of {expected} {what} after two minutes.");
            await Task.Delay(50);
        }
        return clock.Elapsed;
    }
}
