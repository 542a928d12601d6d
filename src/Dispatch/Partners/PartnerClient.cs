using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace Alice.Dispatch.Partners;

/// <summary>The outcome of one booking attempt, as the booking job needs to tell them apart.</summary>
internal abstract record BookingOutcome
{
    /// <summary>The partner holds the booking (201, or 200 for a key it had already seen).</summary>
    public sealed record Accepted(BookingAnswer Answer) : BookingOutcome;
    /// <summary>The partner refused this booking for good (a 4xx other than 408/429): retrying will not help.</summary>
    public sealed record Refused(int StatusCode) : BookingOutcome;
    /// <summary>No answer worth keeping after the in-process retries: try again later.</summary>
    public sealed record Unavailable(string Reason) : BookingOutcome;
}

/// <summary>
/// Sends bookings over partner API v1. Each call goes through one shared resilience pipeline:
/// a timeout per attempt and quick retries with jitter, because a person is waiting.
/// </summary>
internal sealed class PartnerClient(IHttpClientFactory httpClients, IOptions<PartnerOptions> options, TimeProvider clock, ILogger<PartnerClient> logger)
{
    public const string HttpClientName = "partners";
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly ResiliencePipeline<HttpResponseMessage> _pipeline = BuildPipeline(options.Value, clock);

    public async Task<BookingOutcome> BookAsync(PartnerOptions.Provider partner, string idempotencyKey, BookingRequest booking, CancellationToken ct)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(booking, Json);
        var http = httpClients.CreateClient(HttpClientName);
        var url = new Uri(partner.BaseUrl.TrimEnd('/') + "/v1/bookings");
        try
        {
            using var response = await _pipeline.ExecuteAsync(async token =>
            {
                // A new message per attempt (a sent HttpRequestMessage cannot be sent again), signed
                // anew so the timestamp stays fresh; the idempotency key stays the same.
                using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
                request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                request.Headers.Add("Idempotency-Key", idempotencyKey);
                request.Headers.Add(PartnerSignature.Header,
                    PartnerSignature.Create(partner.Secret, clock.GetUtcNow().ToUnixTimeSeconds(), body));
                return await http.SendAsync(request, token);
            }, ct);

            if (response.IsSuccessStatusCode)
            {
                var answer = await response.Content.ReadFromJsonAsync<BookingAnswer>(Json, ct);
                return answer is { BookingId.Length: > 0 }
                    ? new BookingOutcome.Accepted(answer)
                    : new BookingOutcome.Unavailable("answer without a booking id");
            }
            var status = (int)response.StatusCode;
            logger.LogWarning("Partner {Partner} answered {Status} to a booking", partner.Name, status);
            return IsRetryable(response.StatusCode) ? new BookingOutcome.Unavailable($"HTTP {status}") : new BookingOutcome.Refused(status);
        }
        catch (Exception e) when (e is HttpRequestException or TimeoutRejectedException or JsonException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            logger.LogWarning("Partner {Partner} unreachable for a booking: {Error}", partner.Name, e.GetType().Name);
            return new BookingOutcome.Unavailable(e.GetType().Name);
        }
    }

    private static bool IsRetryable(HttpStatusCode status) =>
        (int)status >= 500 || status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests;

    private static ResiliencePipeline<HttpResponseMessage> BuildPipeline(PartnerOptions o, TimeProvider clock) =>
        new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = clock }
            .AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = o.RetriesPerRun,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                // First retry within a second: the caller may still be on the line.
                Delay = TimeSpan.FromMilliseconds(250),
                ShouldHandle = new PredicateBuilder<HttpResponseMessage>()
                    .Handle<HttpRequestException>()
                    .Handle<TimeoutRejectedException>()
                    .HandleResult(r => IsRetryable(r.StatusCode)),
            })
            .AddTimeout(TimeSpan.FromSeconds(o.AttemptTimeoutSeconds))
            .Build();
}
