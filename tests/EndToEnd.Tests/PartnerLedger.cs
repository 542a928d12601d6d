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
    public static Task WaitForAttemptsAsync(string partnerUrl, int attempts) =>
        Eventually.Value(() => AttemptsAsync(partnerUrl), held => held >= attempts, $"the partner received {attempts} booking requests", TimeSpan.FromSeconds(15));

    /// <summary>Waits until the partner holds at least this many bookings; returns how many it holds.</summary>
    public static Task<int> WaitForBookingsAsync(string partnerUrl, long bookings) =>
        Eventually.Value(async () => (await ReadAsync(partnerUrl)).Bookings.Count, held => held >= bookings, $"the partner holds {bookings} bookings", TimeSpan.FromSeconds(15));

    public static async Task<Booking> WaitForAsync(string partnerUrl, string code) =>
        (await Eventually.Value(async () => (await ReadAsync(partnerUrl)).Bookings.FirstOrDefault(b => b.Reference == code), found => found is not null,
            $"the partner received a booking with code {code}", TimeSpan.FromSeconds(15)))!;
}
