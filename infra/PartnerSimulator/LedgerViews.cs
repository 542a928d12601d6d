using System.Net;
using System.Text;

namespace Alice.PartnerSimulator;

/// <summary>What the simulator received: JSON for tests and scripts, a page for people.</summary>
internal static class LedgerViews
{
    public static void MapLedgerViews(this WebApplication app)
    {
        app.MapGet("/bookings", (BookingLedger ledger, EventSender events) =>
            Results.Ok(new { bookings = ledger.All, refused = ledger.Refused, attempts = ledger.Attempts, eventsSent = events.Sent }));
        app.MapGet("/", (BookingLedger ledger, FaultSwitch faults) => Results.Content(Page(ledger, faults.Current), "text/html; charset=utf-8"));
    }

    private static string Page(BookingLedger ledger, Faults f)
    {
        string Check(string name, bool on) => $"<label><input type=checkbox name={name}{(on ? " checked" : "")}> {name}</label>";
        var rows = new StringBuilder();
        // One row per ride, the newest first, with where it is now (not each event it went through).
        foreach (var b in ledger.All.Reverse())
        {
            var pickup = b.Body.TryGetProperty("pickup", out var p) && p.TryGetProperty("name", out var n) ? n.GetString() : "";
            var state = b.Cancelled ? "cancelled" : b.State.Replace('_', ' ').Replace("passenger ", "");
            rows.Append($"<tr><td data-label=\"Code\"><b>{Enc(b.Reference)}</b></td><td data-label=\"State\" class=\"state\">{Enc(state)}</td>")
                .Append($"<td data-label=\"Pickup\">{Enc(pickup)}</td><td data-label=\"Received\">{b.ReceivedAt:HH:mm:ss}</td><td data-label=\"ETA\">{b.EtaMinutes} min</td>")
                .Append($"<td data-label=\"Requests\">{b.Requests}</td><td data-label=\"Booking id\">{Enc(b.BookingId)}</td>")
                .Append($"<td data-label=\"Idempotency-Key\"><code>{Enc(b.IdempotencyKey)}</code></td></tr>");
        }
        return $$"""
            <!doctype html><html lang="en"><head><meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>Taxi partner simulator</title>
            <style>body{font:15px system-ui,sans-serif;margin:1rem;color:#1d2a33}table{border-collapse:collapse;width:100%}
            td,th{padding:.4rem;border-bottom:1px solid #ddd;text-align:left}code{font-size:.8rem;overflow-wrap:anywhere}
            td.state{font-weight:600}
            fieldset{border:1px solid #ccd;border-radius:.5rem;margin:0 0 1rem;min-width:0}label{display:inline-block;margin:.2rem .8rem .2rem 0}
            input[type=number]{width:5rem}
            /* On a phone each ride is a card, each value after its label. */
            @media (max-width:40rem){body{margin:.6rem}thead{position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%)}
            table,tbody,tr,td{display:block}tr{border:1px solid #ccd;border-radius:.5rem;padding:.3rem .6rem;margin-bottom:.6rem}
            td{border:0;padding:.15rem 0;display:flex;gap:.6rem}td::before{content:attr(data-label);flex:0 0 7.5rem;color:#566570} }</style></head>
            <body><h1>Taxi partner simulator</h1>
            <form id=faults><fieldset><legend>Faults (live)</legend>
            <label>error rate <input type=number name=errorRate min=0 max=1 step=0.05 value="{{f.ErrorRate}}"></label>
            <label>latency ms <input type=number name=latencyMs min=0 value="{{f.LatencyMs}}"></label>
            <label>fail next <input type=number name=failNext min=0 value="{{f.FailNext}}"></label>
            <label>ghost next <input type=number name=ghostNext min=0 value="{{f.GhostNext}}"></label>
            <label>down for s <input type=number name=downForSeconds min=0 value="0"></label>
            <label>Retry-After s <input type=number name=retryAfterSeconds min=0 value="{{f.RetryAfterSeconds}}"></label><br>
            events after ms: <label>accepted <input type=number name=acceptedAfterMs min=0 value="{{f.AcceptedAfterMs}}"></label>
            <label>arrived <input type=number name=driverArrivedAfterMs min=0 value="{{f.DriverArrivedAfterMs}}"></label>
            <label>on board <input type=number name=onBoardAfterMs min=0 value="{{f.OnBoardAfterMs}}"></label>
            <label>dropped off <input type=number name=droppedOffAfterMs min=0 value="{{f.DroppedOffAfterMs}}"></label><br>
            {{Check("duplicateEvents", f.DuplicateEvents)}}
            {{Check("outOfOrderEvents", f.OutOfOrderEvents)}} {{Check("noDriver", f.NoDriver)}}
            <button>Apply</button> <span id=state>{{(f.DownUntil > DateTimeOffset.UtcNow ? $"down until {f.DownUntil:HH:mm:ss}" : "")}}</span>
            </fieldset></form>
            <script>
            document.getElementById('faults').onsubmit = async ev => {
              ev.preventDefault();
              const d = new FormData(ev.target), n = k => Number(d.get(k) || 0), b = k => d.get(k) === 'on';
              const body = { errorRate: n('errorRate'), latencyMs: n('latencyMs'), failNext: n('failNext'), ghostNext: n('ghostNext'), retryAfterSeconds: n('retryAfterSeconds'),
                acceptedAfterMs: n('acceptedAfterMs'), driverArrivedAfterMs: n('driverArrivedAfterMs'), onBoardAfterMs: n('onBoardAfterMs'), droppedOffAfterMs: n('droppedOffAfterMs'),
                duplicateEvents: b('duplicateEvents'), outOfOrderEvents: b('outOfOrderEvents'), noDriver: b('noDriver') };
              const r = await fetch('/faults?downForSeconds=' + n('downForSeconds'), { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
              document.getElementById('state').textContent = r.ok ? 'applied' : 'refused: ' + r.status;
            };
            setTimeout(() => { if (!document.activeElement || document.activeElement === document.body) location.reload(); }, 5000);
            </script>
            <p>Bookings received over partner API v1.1. Refused requests: {{ledger.Refused}}.
            JSON: <a href="/bookings">/bookings</a>, faults: <a href="/faults">/faults</a>.</p>
            <table id=rides><thead><tr><th>Code</th><th>State</th><th>Pickup</th><th>Received</th><th>ETA</th>
            <th>Requests</th><th>Booking id</th><th>Idempotency-Key</th></tr></thead><tbody>{{rows}}</tbody></table>
            </body></html>
            """;
    }

    private static string Enc(string? s) => WebUtility.HtmlEncode(s ?? "");
}
