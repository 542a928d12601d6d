using System.Diagnostics;
using System.Text.Json;

namespace Alice.Bench;

/// <summary>Reads how many bookings the partner simulator holds, to wait for the service's background work.</summary>
internal sealed class PartnerProbe(string partnerUrl)
{
    private readonly HttpClient _http = new() { BaseAddress = new Uri(partnerUrl) };

    public async Task<int> CountAsync()
    {
        using var json = JsonDocument.Parse(await _http.GetStringAsync("/bookings"));
        return json.RootElement.GetProperty("bookings").GetArrayLength();
    }

    /// <summary>Waits (at most two minutes) until the partner holds this many bookings; returns how long that took.</summary>
    public async Task<TimeSpan> WaitForBookingsAsync(int expected)
    {
        var clock = Stopwatch.StartNew();
        while (await CountAsync() < expected)
        {
            if (clock.Elapsed > TimeSpan.FromMinutes(2)) throw new TimeoutException($"The partner holds {await CountAsync()} of {expected} bookings after two minutes.");
            await Task.Delay(50);
        }
        return clock.Elapsed;
    }
}
