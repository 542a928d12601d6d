using System.Text.Json;
using Microsoft.Extensions.Options;

namespace Alice.PartnerSimulator;

/// <summary>Sends a booking's lifecycle events back to Alice, signed, on the configured schedule and with the configured faults.</summary>
internal sealed class EventSender(IHttpClientFactory http, IOptions<SimulatorOptions> options, FaultSwitch faults, BookingLedger ledger, TimeProvider clock, ILogger<EventSender> logger)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    public const string Client = "events";
    public const int MaxConnections = 32;

    public int Sent => _sent;
    private int _sent;

    public void Start(ReceivedBooking booking)
    {
        if (string.IsNullOrEmpty(options.Value.EventsUrl)) return;
        _ = Task.Run(() => SendLifecycleAsync(booking));
    }

    private async Task SendLifecycleAsync(ReceivedBooking booking)
    {
        var f = faults.Current;
        (string, int)[] schedule = f.NoDriver
            ? [("no_driver", f.AcceptedAfterMs)]
            : [("accepted", f.AcceptedAfterMs), ("driver_arrived", f.DriverArrivedAfterMs),
               ("passenger_on_board", f.OnBoardAfterMs), ("dropped_off", f.DroppedOffAfterMs)];
        if (f.OutOfOrderEvents)
        {
            // Everything at the time of the last event, newest first.
            var last = schedule.Max(s => s.Item2);
            schedule = schedule.Reverse().Select(s => (s.Item1, last)).ToArray();
        }
        var started = clock.GetUtcNow();
        foreach (var (type, atMs) in schedule)
        {
            var wait = started.AddMilliseconds(atMs) - clock.GetUtcNow();
            if (wait > TimeSpan.Zero) await Task.Delay(wait);
            var e = new
            {
                eventId = $"ev_{Guid.NewGuid():N}",
                idempotencyKey = booking.IdempotencyKey, // v1.1: the key names the ride; the reference is for the driver
                bookingId = booking.BookingId,
                reference = booking.Reference,
                type,
                etaMinutes = type == "accepted" ? booking.EtaMinutes : (int?)null,
                vehicle = type == "accepted" ? new { description = "White Toyota Prius", plate = "1-ABC-234" } : null,
                at = clock.GetUtcNow(),
            };
            ledger.Advance(booking.IdempotencyKey, type); // where the ride is for the partner, delivered or not
            var body = JsonSerializer.SerializeToUtf8Bytes(e, Json);
            for (var copy = 0; copy < (f.DuplicateEvents ? 2 : 1); copy++) await PostAsync(body);
        }
    }

    private async Task PostAsync(byte[] body)
    {
        var o = options.Value;
        for (var attempt = 0; attempt < 5; attempt++)
        {
            try
            {
                var url = new Uri($"{o.EventsUrl.TrimEnd('/')}/partners/{o.Name}/events");
                using var request = new HttpRequestMessage(HttpMethod.Post, url)
                {
                    Content = new ByteArrayContent(body) { Headers = { ContentType = new("application/json") } },
                };
                request.Headers.Add("X-Alice-Signature", Signing.Header(o.Secret, clock.GetUtcNow().ToUnixTimeSeconds(), Signing.PartnerToAlice, "POST", url.PathAndQuery, body));
                using var response = await http.CreateClient(Client).SendAsync(request);
                if ((int)response.StatusCode < 500) { Interlocked.Increment(ref _sent); return; }
            }
            catch (HttpRequestException e)
            {
                logger.LogInformation("Event not delivered ({Error}); trying again", e.GetType().Name);
            }
            await Task.Delay(TimeSpan.FromSeconds(1 << attempt));
        }
    }
}
