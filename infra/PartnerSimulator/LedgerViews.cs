using System.Net;
using System.Text;

namespace Alice.PartnerSimulator;

/// <summary>What the simulator received: JSON for tests and scripts, a page for people.</summary>
internal static class LedgerViews
{
    public static void MapLedgerViews(this WebApplication app)
    {
        app.MapGet("/bookings", (BookingLedger ledger) => Results.Ok(new { bookings = ledger.All, refused = ledger.Refused }));
        app.MapGet("/", (BookingLedger ledger) => Results.Content(Page(ledger), "text/html; charset=utf-8"));
    }

    private static string Page(BookingLedger ledger)
    {
        var rows = new StringBuilder();
        foreach (var b in ledger.All.Reverse())
        {
            var pickup = b.Body.TryGetProperty("pickup", out var p) && p.TryGetProperty("name", out var n) ? n.GetString() : "";
            rows.Append($"<tr><td>{b.ReceivedAt:HH:mm:ss}</td><td><b>{Enc(b.Reference)}</b></td><td>{Enc(pickup)}</td>")
                .Append($"<td>{Enc(b.BookingId)}</td><td>{b.EtaMinutes} min</td><td>{b.Requests}</td><td>{(b.Cancelled ? "cancelled" : "booked")}</td>")
                .Append($"<td><code>{Enc(b.IdempotencyKey)}</code></td></tr>");
        }
        return $$"""
            <!doctype html><html lang="en"><head><meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <meta http-equiv="refresh" content="3"><title>Taxi partner simulator</title>
            <style>body{font:15px system-ui,sans-serif;margin:1rem;color:#1d2a33}table{border-collapse:collapse;width:100%}
            td,th{padding:.4rem;border-bottom:1px solid #ddd;text-align:left}code{font-size:.8rem}.wrap{overflow-x:auto}</style></head>
            <body><h1>Taxi partner simulator</h1>
            <p>Bookings received over partner API v1 (refreshes every 3 s). Refused requests: {{ledger.Refused}}.
            JSON: <a href="/bookings">/bookings</a>.</p>
            <div class="wrap"><table><thead><tr><th>Received</th><th>Code</th><th>Pickup</th><th>Booking id</th><th>ETA</th>
            <th>Requests</th><th>State</th><th>Idempotency-Key</th></tr></thead><tbody>{{rows}}</tbody></table></div>
            </body></html>
            """;
    }

    private static string Enc(string? s) => WebUtility.HtmlEncode(s ?? "");
}
