using System.Net.Http.Json;
using System.Text.Json;

namespace Alice.EndToEnd.Tests;

/// <summary>The simulator's /bookings, read over HTTP as any client would.</summary>
internal static class PartnerLedger
{
    public sealed record Booking(string BookingId, string IdempotencyKey, string Reference, int Requests, JsonElement Body);
    private sealed record Ledger(List<Booking> Bookings, int Refused, int Attempts);

    public static async Task<(List<Booking> Bookings, int Refused)> ReadAsync(string partnerUrl)
    {
        using var http = new HttpClient();
        var ledger = await http.GetFromJsonAsync<Ledger>($"{partnerUrl}/bookings", new JsonSerializerOptions(JsonSerializerDefaults.Web));
        return (ledger!.Bookings, ledger.Refused);
    }

    /// <summary>How many booking requests the partner has received, answered or not yet.</summary>
    public static async Task<int> AttemptsAsync(string partnerUrl)
    {
        using var http = new HttpClient();
        return (await http.GetFromJsonAsync<Ledger>($"{partnerUrl}/bookings", new JsonSerializerOptions(JsonSerializerDefaults.Web)))!.Attempts;
    }

    /// <summary>Waits until the partner has received at least this many booking requests.</summary>
    public static async Task WaitForAttemptsAsync(string partnerUrl, int attempts)
    {
        for (var i = 0; i < 300 && await AttemptsAsync(partnerUrl) < attempts; i++) await Task.Delay(50);
        Assert.True(await AttemptsAsync(partnerUrl) >= attempts, $"The partner never received {attempts} booking requests.");
    }

    /// <summary>Waits until the partner holds at least this many bookings; returns how many it holds.</summary>
    public static async Task<int> WaitForBookingsAsync(string partnerUrl, long bookings)
    {
        var held = (await ReadAsync(partnerUrl)).Bookings.Count;
        for (var i = 0; i < 300 && held < bookings; i++)
        {
            await Task.Delay(50);
            held = (await ReadAsync(partnerUrl)).Bookings.Count;
        }
        return held;
    }

    public static async Task<Booking> WaitForAsync(string partnerUrl, string code)
    {
        for (var i = 0; i < 300; i++)
        {
            var found = (await ReadAsync(partnerUrl)).Bookings.FirstOrDefault(b => b.Reference == code);
            if (found is not null) return found;
            await Task.Delay(50);
        }
        throw new TimeoutException($"The partner never received a booking with code {code}.");
    }
}
