using System.Diagnostics;
using OpenTelemetry;

namespace Alice.Dispatch.Telemetry;

/// <summary>
/// Takes every address out of a span before any exporter sees it. ASP.NET Core's and HttpClient's spans record
/// the path and query they served or called: the console's paths carry ride ids, a partner's cancel path its
/// booking id, Twilio's REST paths a CallSid, the menu's query the language and a step. What stays is what
/// cannot name anyone: the method, the route template, the host called, the status.
/// </summary>
internal sealed class WithoutAddresses : BaseProcessor<Activity>
{
    /// <summary>Every attribute, old semantic conventions and new, that holds a path, a query or a whole address.</summary>
    internal static readonly string[] Removed =
        ["url.full", "url.path", "url.query", "url.original", "http.url", "http.target", "user_agent.original", "http.user_agent"];

    public override void OnEnd(Activity span)
    {
        foreach (var name in Removed)
            if (span.GetTagItem(name) is not null) span.SetTag(name, null);
    }
}
