using System.Text.Json;
using Alice.Dispatch.Campuses;
using Alice.Signatures;
using Microsoft.Extensions.Options;
using Alice.Dispatch.Telemetry;

namespace Alice.Dispatch.Police;

/// <summary>
/// Delivers police requests to the campus's police zone: a JSON POST to its webhook, signed with
/// X-Alice-Signature under the zone's secret, with the request id as Idempotency-Key so a retry after a
/// lost answer is recognised. It carries the booking reference, the centre and its contact, the time to
/// the minute: nothing about the victim. Only the centre console's police action leads here (a test
/// reads the sources for it).
/// </summary>
internal sealed class PoliceNotifier(PoliceRequests requests, IHttpClientFactory http, IOptions<PoliceOptions> options,
    IOptions<HotlineOptions> hotline, TimeProvider clock, ILogger<PoliceNotifier> logger)
{
    public const string HttpClientName = "police";

    /// <summary>Delivers every request that is due; a failure is tried again after a growing pause.</summary>
    public async Task RunAsync(CancellationToken ct)
    {
        foreach (var request in await requests.DueAsync(ct))
        {
            if (options.Value.For(request.Campus) is not { } zone) continue;
            try
            {
                await DeliverAsync(request, zone, ct);
                await requests.MarkDeliveredAsync(request.Id, ct);
                DispatchTelemetry.PoliceDelivery(delivered: true);
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
            {
                logger.LogWarning("A police request could not be delivered to {Zone} ({Error}); trying again", zone.Name, e.GetType().Name);
                DispatchTelemetry.PoliceDelivery(delivered: false);
                await requests.MarkFailedAsync(request.Id, clock.GetUtcNow() + Pause(request.Attempts + 1), ct);
            }
        }
    }

    /// <summary>10 s, 20 s, 40 s… then every five minutes.</summary>
    public static TimeSpan Pause(int attempts) => RetryPause.Doubling(attempts, TimeSpan.FromSeconds(10), TimeSpan.FromMinutes(5));

    /// <summary>What the zone receives: exactly this, nothing more.</summary>
    public static object Message(PoliceRequest request, PoliceOptions.Zone zone, HotlineOptions.Place centre, string contact) => new
    {
        type = "police_request",
        requestId = request.Id,
        bookingReference = request.BookingCode,
        requestedAt = new DateTimeOffset(request.RequestedAt.Year, request.RequestedAt.Month, request.RequestedAt.Day,
            request.RequestedAt.Hour, request.RequestedAt.Minute, 0, TimeSpan.Zero),
        zone = zone.Name,
        centre = new { name = centre.Name, address = centre.Address },
        contact,
    };

    private async Task DeliverAsync(PoliceRequest request, PoliceOptions.Zone zone, CancellationToken ct)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(Message(request, zone, hotline.Value.Destination, options.Value.CentreContact),
            new JsonSerializerOptions(JsonSerializerDefaults.Web));
        using var message = new HttpRequestMessage(HttpMethod.Post, zone.WebhookUrl) { Content = new ByteArrayContent(body) };
        message.Content.Headers.ContentType = new("application/json");
        // v2 with a direction of its own: a zone's secret signs nothing else, and no zone was ever on v1 alone
        // (the simulated receiver is the only one so far), so no v1 is sent beside it.
        var target = new AliceSignature.Target(AliceSignature.Direction.AliceToPolice, HttpMethod.Post.Method, message.RequestUri!.PathAndQuery);
        message.Headers.Add(AliceSignature.Header, AliceSignature.Create(zone.Secret, clock.GetUtcNow().ToUnixTimeSeconds(), target, body));
        message.Headers.Add("Idempotency-Key", request.Id);
        using var response = await http.CreateClient(HttpClientName).SendAsync(message, ct);
        if (!response.IsSuccessStatusCode) throw new HttpRequestException($"The zone answered {(int)response.StatusCode}.");
    }
}

/// <summary>Every few seconds: police requests not yet delivered are sent to their zone.</summary>
[Quartz.DisallowConcurrentExecution]
internal sealed class PoliceDeliveryJob(PoliceNotifier notifier) : Quartz.IJob
{
    public static readonly Quartz.JobKey Key = new("police-delivery");
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);
    public ValueTask Execute(Quartz.IJobExecutionContext context, CancellationToken ct) => new(notifier.RunAsync(ct));
}

/// <summary>The police delivery job.</summary>
internal sealed class PoliceDelivery : RecurringJobSet
{
    public override IEnumerable<(Type, Quartz.JobKey, TimeSpan)> Jobs => [(typeof(PoliceDeliveryJob), PoliceDeliveryJob.Key, PoliceDeliveryJob.Interval)];
}
