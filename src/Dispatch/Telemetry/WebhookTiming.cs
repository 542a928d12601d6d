using System.Diagnostics;

namespace Alice.Dispatch.Telemetry;

/// <summary>How long each Twilio webhook step took to answer, its fallback included (<c>alice.webhook.duration</c>).</summary>
internal sealed class WebhookTiming : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            return await next(context);
        }
        finally
        {
            DispatchTelemetry.WebhookStep(context.HttpContext, Stopwatch.GetElapsedTime(started));
        }
    }
}
