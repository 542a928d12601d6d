using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Alice.Signatures;
using Microsoft.Extensions.Options;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Timeout;
using Alice.Dispatch.Telemetry;

namespace Alice.Dispatch.Partners;

/// <summary>The outcome of one booking attempt, as the booking job needs to tell them apart.</summary>
internal abstract record BookingOutcome
{
    /// <summary>The partner holds the booking (201, or 200 for a key it had already seen: a ghost booking found).</summary>
    public sealed record Accepted(BookingAnswer Answer) : BookingOutcome;
    /// <summary>The partner refused this booking for good (a 4xx other than 408/429): retrying will not help.</summary>
    public sealed record Refused(int StatusCode) : BookingOutcome;
    /// <summary>No answer worth keeping after the quick retries: try again later, not before <paramref name="RetryAfter"/> if given.</summary>
    public sealed record Unavailable(string Reason, TimeSpan? RetryAfter = null) : BookingOutcome;
}

/// <summary>
/// Partner API v1.1 (Partners/partner-api-v1.md). Each partner has its own resilience pipeline: a timeout
/// per attempt, quick retries with jitter starting within a second (a person is waiting), Retry-After
/// honoured, and a circuit breaker so a partner that is down is not hammered and fails fast.
/// </summary>
internal sealed class PartnerClient(IHttpClientFactory httpClients, IOptions<PartnerOptions> options, TimeProvider clock, PartnerFailureLog failures, ILogger<PartnerClient> logger)
{
    public const string HttpClientName = "partners";
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>A Retry-After longer than this is not waited for inside one run: the job comes back then.</summary>
    private static readonly TimeSpan LongestQuickWait = TimeSpan.FromSeconds(3);

    private readonly Dictionary<string, ResiliencePipeline<HttpResponseMessage>> _pipelines =
        options.Value.Providers.ToDictionary(p => p.Name, p => BuildPipeline(options.Value, clock, p.Name));

    public async Task<BookingOutcome> BookAsync(PartnerOptions.Provider partner, string idempotencyKey, BookingRequest booking, CancellationToken ct)
    {
        try
        {
            using var response = await SendAsync(partner, "/v1/bookings", JsonSerializer.SerializeToUtf8Bytes(booking, Json), idempotencyKey, ct);
            if (response.IsSuccessStatusCode)
            {
                failures.Answered(partner.Name);
                var answer = await response.Content.ReadFromJsonAsync<BookingAnswer>(Json, ct);
                if (answer is not { BookingId.Length: > 0 }) return new BookingOutcome.Unavailable("answer without a booking id");
                // The caller hears the minutes: an implausible figure is dropped, the booking kept.
                var (eta, problem) = PartnerText.Eta(answer.EtaMinutes);
                if (problem is not null) logger.LogWarning("Partner {Partner} answered a booking with etaMinutes {Problem}; kept without it", partner.Name, problem);
                return new BookingOutcome.Accepted(answer with { EtaMinutes = eta });
            }
            var status = (int)response.StatusCode;
            failures.Failed(partner.Name, $"HTTP {status} to a booking");
            return IsRetryable(response.StatusCode)
                ? new BookingOutcome.Unavailable($"HTTP {status}", RetryAfter(response))
                : new BookingOutcome.Refused(status);
        }
        catch (Exception e) when (IsUnavailable(e, ct))
        {
            failures.Failed(partner.Name, $"unreachable for a booking ({e.GetType().Name})");
            return new BookingOutcome.Unavailable(e.GetType().Name);
        }
    }

    /// <summary>Cancels a booking; true once the partner no longer holds it (cancelled now, before, or never known).</summary>
    public async Task<bool> CancelAsync(PartnerOptions.Provider partner, string bookingId, string idempotencyKey, CancellationToken ct)
    {
        // A console partner's booking leaves its page as soon as the ride no longer holds it: nothing to call.
        if (partner.Mode == PartnerOptions.PartnerMode.Console) return true;
        try
        {
            using var response = await SendAsync(partner, $"/v1/bookings/{Uri.EscapeDataString(bookingId)}/cancel", "{}"u8.ToArray(), idempotencyKey, ct);
            if (response.IsSuccessStatusCode || response.StatusCode == HttpStatusCode.NotFound)
            {
                failures.Answered(partner.Name);
                return true;
            }
            return false;
        }
        catch (Exception e) when (IsUnavailable(e, ct))
        {
            failures.Failed(partner.Name, $"unreachable for a cancellation ({e.GetType().Name})");
            return false;
        }
    }

    private Task<HttpResponseMessage> SendAsync(PartnerOptions.Provider partner, string path, byte[] body, string idempotencyKey, CancellationToken ct)
    {
        var http = httpClients.CreateClient(HttpClientName);
        var url = new Uri(partner.BaseUrl.TrimEnd('/') + path);
        return _pipelines[partner.Name].ExecuteAsync(async token =>
        {
            // A new message per attempt (a sent one cannot be sent again), signed anew so the timestamp
            // stays fresh; the idempotency key stays the same.
            using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            request.Headers.Add("Idempotency-Key", idempotencyKey);
            // v2 covers the direction, method and path, so one cancel's signature cannot cancel another booking;
            // v1 rides beside it only while the partner's transition lets it still check v1.
            var now = clock.GetUtcNow();
            var target = new AliceSignature.Target(AliceSignature.Direction.AliceToPartner, HttpMethod.Post.Method, url.PathAndQuery);
            request.Headers.Add(AliceSignature.Header, AliceSignature.Create(partner.Secret, now.ToUnixTimeSeconds(), target, body, withV1: partner.AcceptsV1At(now)));
            return await http.SendAsync(request, token);
        }, ct).AsTask();
    }

    private static bool IsUnavailable(Exception e, CancellationToken ct) =>
        e is HttpRequestException or TimeoutRejectedException or BrokenCircuitException or JsonException
        || (e is TaskCanceledException && !ct.IsCancellationRequested);

    private static bool IsRetryable(HttpStatusCode status) =>
        (int)status >= 500 || status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests;

    private TimeSpan? RetryAfter(HttpResponseMessage response) => response.Headers.RetryAfter switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } => date - clock.GetUtcNow(),
        _ => null,
    };

    private static ResiliencePipeline<HttpResponseMessage> BuildPipeline(PartnerOptions o, TimeProvider clock, string partner)
    {
        DispatchTelemetry.Circuit(partner, CircuitState.Closed);
        static bool Transient(Outcome<HttpResponseMessage> outcome) =>
            outcome.Exception is HttpRequestException or TimeoutRejectedException
            || (outcome.Result is { } r && IsRetryable(r.StatusCode));
        return new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = clock }
            .AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = o.RetriesPerRun,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = TimeSpan.FromMilliseconds(250),
                // Retry quickly, unless the partner asked for longer than a caller should wait inside
                // one run: that answer goes back to the job, which comes back when the partner said.
                ShouldHandle = args => ValueTask.FromResult(
                    Transient(args.Outcome) && !(args.Outcome.Result?.Headers.RetryAfter?.Delta > LongestQuickWait)),
                DelayGenerator = args => ValueTask.FromResult(args.Outcome.Result?.Headers.RetryAfter?.Delta),
            })
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions<HttpResponseMessage>
            {
                ShouldHandle = args => ValueTask.FromResult(Transient(args.Outcome)),
                FailureRatio = 0.5,
                MinimumThroughput = 6,
                SamplingDuration = TimeSpan.FromSeconds(10),
                BreakDuration = TimeSpan.FromSeconds(o.BreakSeconds),
                OnOpened = _ => DispatchTelemetry.Circuit(partner, CircuitState.Open),
                OnHalfOpened = _ => DispatchTelemetry.Circuit(partner, CircuitState.HalfOpen),
                OnClosed = _ => DispatchTelemetry.Circuit(partner, CircuitState.Closed),
            })
            .AddTimeout(TimeSpan.FromSeconds(o.AttemptTimeoutSeconds))
            .Build();
    }
}
