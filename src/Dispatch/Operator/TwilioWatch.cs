using System.Net;
using Alice.Dispatch.Telemetry;

namespace Alice.Dispatch.Operator;

/// <summary>
/// Sits in the Twilio REST client's pipeline and tells <see cref="OperatorSignals"/> whether Twilio answers: a
/// 5xx, a refused account (401/403: a token rotated wrongly) or no answer is a failure, counted in
/// <c>alice.twilio.rest_failures</c>; anything else (a 404 for a record already gone included) is an answer.
/// It reads statuses only: no path (it holds a CallSid), no body.
/// </summary>
internal sealed class TwilioWatch(OperatorSignals signals) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
    {
        HttpResponseMessage response;
        try
        {
            response = await base.SendAsync(request, ct);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            Failed(e is TaskCanceledException ? "timed_out" : "unreachable");
            throw;
        }
        if ((int)response.StatusCode >= 500) Failed("server_error");
        else if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden) Failed("credentials_refused");
        else signals.TwilioAnswered();
        return response;
    }

    private void Failed(string reason)
    {
        DispatchTelemetry.TwilioFailed(reason);
        signals.TwilioFailed(reason.Replace('_', ' '));
    }
}
