using Alice.Dispatch.Twilio;
using Microsoft.Extensions.Options;
using Alice.Dispatch.Telemetry;

namespace Alice.Dispatch.Telephony;

/// <summary>
/// Every /twilio step answers within <c>Twilio:AnswerWithinSeconds</c>, well inside the 15 s after which
/// Twilio gives up and the caller hears an application error. A step that has not answered by then (a
/// database stuck, most likely) or that failed is answered instead: a caller by a bridge to the campus's
/// human line, the status callback by 503 (the caller is gone; Twilio tries again). The step itself is not
/// cancelled: it ends within the database's own bound (<c>Database:TimeoutSeconds</c>), and a ride it is
/// writing is either heard or never committed (<see cref="CallerAnswer"/>).
/// </summary>
/// <param name="instead">The answer when the step did not give one in time, or failed.</param>
/// <param name="mayBlock">
/// Whether the step may wait on the database: then it runs on a pool thread of its own, since SQLite's busy
/// wait blocks the thread that calls it, even inside an async method, and the time limit must run on another.
/// A step that writes its TwiML from the configuration alone answers at once on the request's thread (the
/// hop to another cost a menu step as much as its TwiML), and a failure of it is still answered instead.
/// </param>
internal sealed class AnswerInTime(Func<HttpContext, IResult> instead, bool mayBlock) : IEndpointFilter
{
    /// <summary>The race this request's step takes part in: the booking step commits its ride through it.</summary>
    public static CallerAnswer For(HttpContext http) =>
        http.Items[typeof(CallerAnswer)] as CallerAnswer
        ?? throw new InvalidOperationException("A /twilio endpoint ran without its time limit.");

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var services = http.RequestServices;
        var within = TimeSpan.FromSeconds(services.GetRequiredService<IOptions<TwilioOptions>>().Value.AnswerWithinSeconds);
        var answer = new CallerAnswer();
        http.Items[typeof(CallerAnswer)] = answer;
        // Async, so that a step failing before its first await fails the task rather than this filter.
        async Task<object?> Step() => await next(context);
        var step = mayBlock ? Task.Run(Step) : Step();
        try
        {
            return await step.WaitAsync(within, services.GetRequiredService<TimeProvider>());
        }
        catch (Exception e)
        {
            // Its ride is committed, or its answer came as the limit passed: that answer is what is heard (the
            // step may have finished between the limit and this line, so this does not ask whether it runs).
            if (step.IsCompletedSuccessfully || !answer.TryGiveUp()) return await HeardAsync(step, http);
            // Observed, so a step that fails after its caller was answered is not reported unobserved.
            _ = step.ContinueWith(t => t.Exception, TaskContinuationOptions.OnlyOnFaulted);
            Log(http, step.IsCompleted ? e.GetType().Name : $"no answer within {within.TotalSeconds:0.#} s");
            return instead(http);
        }
    }

    /// <summary>A committed step's own answer; if it fails after all, the answer instead.</summary>
    private async Task<object?> HeardAsync(Task<object?> step, HttpContext http)
    {
        try
        {
            return await step;
        }
        catch (Exception e)
        {
            Log(http, e.GetType().Name);
            return instead(http);
        }
    }

    /// <summary>The path and the reason only: an exception's message, the query or the form could carry the call's data.</summary>
    private static void Log(HttpContext http, string reason)
    {
        DispatchTelemetry.WebhookAnsweredInstead(http);
        http.RequestServices.GetRequiredService<ILogger<AnswerInTime>>()
            .LogError("Webhook {Path} answered without its step ({Reason})", http.Request.Path, reason);
    }
}
