using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Text.RegularExpressions;

namespace Alice.Dispatch.Telemetry;

/// <summary>
/// The service's own metrics and spans, one static meter and source (as .NET's own libraries keep theirs), so
/// each place that counts does it in one line. Every label is from a fixed, configured set: a campus id, a
/// partner name, an outcome. Nothing here ever takes a ride id, booking code, CallSid, number or partner
/// booking id: none of those is a parameter. Outcomes come in as the areas' own enums and types, named here in
/// snake case, so this area depends on none of them (they all depend on it). The names are listed in <see cref="TelemetryExtensions"/>'s
/// documentation and the README.
/// </summary>
internal static class DispatchTelemetry
{
    public const string Name = "Alice.Dispatch";

    public static readonly ActivitySource Source = new(Name);
    private static readonly Meter Meter = new(Name);

    private static readonly Counter<long> RidesRequested = Meter.CreateCounter<long>(
        "alice.rides.requested", "{ride}", "Rides written at a caller's key press, by campus.");
    private static readonly Histogram<double> TimeToBooking = Meter.CreateHistogram(
        "alice.rides.time_to_booking", "s", "From the caller's key press to a partner holding the booking, by partner.",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [1, 2, 5, 10, 20, 30, 60, 90, 120, 180, 300, 600] });
    private static readonly Counter<long> HandOvers = Meter.CreateCounter<long>(
        "alice.rides.handed_over", "{ride}", "Rides handed to a person, by reason: no_partner_confirmed or last_partner_gave_up.");
    private static readonly Counter<long> Attempts = Meter.CreateCounter<long>(
        "alice.partner.attempts", "{attempt}", "Booking attempts (each with its quick retries), by partner and outcome: accepted, refused or unavailable.");
    private static readonly Gauge<int> Circuits = Meter.CreateGauge<int>(
        "alice.partner.circuit", "{state}", "Each partner's circuit breaker: 0 closed, 1 half-open (trying), 2 open (not asked).");
    private static readonly Histogram<double> WebhookSteps = Meter.CreateHistogram(
        "alice.webhook.duration", "s", "Time to answer each Twilio webhook step, by step (its route); Twilio gives up at 15 s.",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.05, 0.1, 0.25, 0.5, 1, 2, 4, 6, 8, 10, 15] });
    private static readonly Counter<long> AnsweredInstead = Meter.CreateCounter<long>(
        "alice.webhook.answered_instead", "{answer}", "Webhook steps answered by the fallback (a bridge to a person, or 503) because they did not answer in time or failed, by step.");
    private static readonly Counter<long> AlertsRaised = Meter.CreateCounter<long>(
        "alice.alerts.raised", "{alert}", "Alerts raised for the centre, by kind: needs_person or pickup_late.");
    private static readonly Counter<long> AlertsDelivered = Meter.CreateCounter<long>(
        "alice.alerts.delivered", "{alert}", "Alerts that reached a phone, by whom: on_call, or escalation (the second number, nobody acknowledged in time).");
    private static readonly Counter<long> AlertFailures = Meter.CreateCounter<long>(
        "alice.alerts.delivery_failures", "{attempt}", "Attempts to reach a phone about an alert that failed (tried again), by whom.");
    private static readonly Counter<long> PoliceDeliveries = Meter.CreateCounter<long>(
        "alice.police.deliveries", "{request}", "Police requests sent to their zone, by outcome: delivered or failed (tried again).");
    private static readonly Counter<long> RetentionDeleted = Meter.CreateCounter<long>(
        "alice.retention.rides_deleted", "{ride}", "Rides deleted with everything held for them once their time was up.");
    private static readonly Counter<long> LimitsHit = Meter.CreateCounter<long>(
        "alice.abuse.limits_hit", "{call}", "Calls put through to a person by an abuse limit, by campus and limit: caller_limit or campus_busy.");
    private static readonly Counter<long> TwilioFailures = Meter.CreateCounter<long>(
        "alice.twilio.rest_failures", "{request}", "Requests to Twilio's REST API that failed, by reason: server_error, credentials_refused, unreachable or timed_out.");
    private static readonly Counter<long> OperatorMails = Meter.CreateCounter<long>(
        "alice.operator.alerts_sent", "{email}", "E-mails to the operator that the SMTP server took, by state: raised or resolved.");
    private static readonly Counter<long> OperatorMailFailures = Meter.CreateCounter<long>(
        "alice.operator.alerts_send_failures", "{attempt}", "Attempts to e-mail the operator that failed (tried again with a growing pause).");

    /// <summary>The name of the observable gauge <see cref="TwilioBacklog"/> reports under this meter's name.</summary>
    public const string TwilioRecordsWaiting = "alice.twilio.records_waiting";

    public static void RideRequested(string campus) => RidesRequested.Add(1, new KeyValuePair<string, object?>("campus", campus));

    public static void Booked(string partner, TimeSpan sinceKeyPress) =>
        TimeToBooking.Record(sinceKeyPress.TotalSeconds, new KeyValuePair<string, object?>("partner", partner));

    /// <summary>A ride handed to a person (the ride's event says why), and the alert that came with it.</summary>
    public static void HandedOver(Enum why, Enum alert)
    {
        HandOvers.Add(1, new KeyValuePair<string, object?>("reason", Snake(why)));
        Raised(alert, 1);
    }

    public static void Raised(Enum kind, int count)
    {
        if (count > 0) AlertsRaised.Add(count, new KeyValuePair<string, object?>("kind", Snake(kind)));
    }

    public static void AlertDelivered(bool escalation) => AlertsDelivered.Add(1, Whom(escalation));

    public static void AlertNotDelivered(bool escalation) => AlertFailures.Add(1, Whom(escalation));

    public static void PoliceDelivery(bool delivered) =>
        PoliceDeliveries.Add(1, new KeyValuePair<string, object?>("outcome", delivered ? "delivered" : "failed"));

    public static void RidesDeleted(int count) => RetentionDeleted.Add(count);

    /// <summary>A request to Twilio's REST API that failed (the Twilio client's pipeline counts them all), by a reason from a fixed set.</summary>
    public static void TwilioFailed(string reason) => TwilioFailures.Add(1, new KeyValuePair<string, object?>("reason", reason));

    public static void OperatorMailed(bool resolved) => OperatorMails.Add(1, new KeyValuePair<string, object?>("state", resolved ? "resolved" : "raised"));

    public static void OperatorNotMailed() => OperatorMailFailures.Add(1);

    /// <summary>Counts a limit that put a caller through to a person, and passes its verdict on.</summary>
    public static TVerdict LimitHit<TVerdict>(string campus, TVerdict verdict) where TVerdict : Enum
    {
        LimitsHit.Add(1, new("campus", campus), new("limit", Snake(verdict)));
        return verdict;
    }

    /// <summary>One booking attempt with a partner, as a span and a count of its outcome (the outcome's type, by name).</summary>
    public static async Task<TOutcome> AttemptAsync<TOutcome>(string partner, Func<Task<TOutcome>> attempt) where TOutcome : notnull
    {
        using var span = Source.StartActivity("booking attempt", ActivityKind.Internal);
        span?.SetTag("alice.partner", partner);
        var outcome = await attempt();
        var name = Snake(outcome.GetType().Name);
        span?.SetTag("alice.outcome", name);
        Attempts.Add(1, new("partner", partner), new("outcome", name));
        return outcome;
    }

    /// <summary>Records the circuit's state; returns a completed task, as Polly's callbacks want one.</summary>
    public static ValueTask Circuit(string partner, Polly.CircuitBreaker.CircuitState state)
    {
        Circuits.Record(state switch { Polly.CircuitBreaker.CircuitState.Closed => 0, Polly.CircuitBreaker.CircuitState.HalfOpen => 1, _ => 2 },
            new KeyValuePair<string, object?>("partner", partner));
        return ValueTask.CompletedTask;
    }

    public static void WebhookStep(HttpContext http, TimeSpan took) => WebhookSteps.Record(took.TotalSeconds, Step(http));

    public static void WebhookAnsweredInstead(HttpContext http) => AnsweredInstead.Add(1, Step(http));

    /// <summary>The step as its route names it (the path could in principle carry more than the step).</summary>
    private static KeyValuePair<string, object?> Step(HttpContext http) =>
        new("step", (http.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? "unknown");

    private static string Snake(Enum value) => Snake(value.ToString());

    private static string Snake(string name) => Regex.Replace(name, "(?<=[a-z])([A-Z])", "_$1").ToLowerInvariant();

    private static KeyValuePair<string, object?> Whom(bool escalation) => new("to", escalation ? "escalation" : "on_call");
}
