using System.Diagnostics.Metrics;
using Alice.Dispatch.Telemetry;

namespace Alice.Dispatch.Operator;

/// <summary>This area's metrics, under the service's meter name (so exported with <see cref="DispatchTelemetry"/>'s); labels from fixed sets.</summary>
internal static class OperatorTelemetry
{
    private static readonly Meter Meter = new(DispatchTelemetry.Name);

    private static readonly Counter<long> Sent = Meter.CreateCounter<long>(
        "alice.operator.alerts_sent", "{email}", "E-mails to the operator that the SMTP server took, by state: raised or resolved.");
    private static readonly Counter<long> SendFailures = Meter.CreateCounter<long>(
        "alice.operator.alerts_send_failures", "{attempt}", "Attempts to e-mail the operator that failed (tried again with a growing pause).");
    private static readonly Counter<long> TwilioFailures = Meter.CreateCounter<long>(
        "alice.twilio.rest_failures", "{request}", "Requests to Twilio's REST API that failed, by reason: server_error, credentials_refused, unreachable or timed_out.");

    public static void AlertSent(bool resolved) => Sent.Add(1, new KeyValuePair<string, object?>("state", resolved ? "resolved" : "raised"));

    public static void AlertNotSent() => SendFailures.Add(1);

    public static void TwilioFailed(string reason) => TwilioFailures.Add(1, new KeyValuePair<string, object?>("reason", reason));
}
