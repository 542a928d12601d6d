using System.Collections.ObjectModel;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Alice.Dispatch.Telemetry;
using Alice.Dispatch.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Alice.Dispatch.Tests;

/// <summary>
/// Promise 1 for telemetry: what the service exports (metric names, labels, span names, attributes, events,
/// links) never holds a caller's number, a CallSid, a booking code, a ride id or a partner's booking id; and
/// the scrape endpoint is never on the public listener.
/// </summary>
public class TelemetryTests
{
    [Fact]
    public async Task After_every_flow_nothing_exported_holds_a_caller_a_call_or_a_ride_and_the_search_finds_what_is_planted()
    {
        await using var twilio = await TwilioSimulatorHost.StartAsync();
        await using var partner = new PartnerSimulatorHost();
        await partner.InitializeAsync();
        var spans = new CapturedSpans();
        var metrics = new Locked<MetricSnapshot>();
        var planted = new Planting();
        await using var app = new DispatchApp(partner, settings: PrivacyProofTests.FlowSettings(twilio, new() { ["Telemetry:PrometheusPort"] = FreePort().ToString() }))
        {
            Replacing = services => services
                .ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddProcessor(planted).AddInMemoryExporter(spans))
                // Exported only when the test flushes, so the list is not written while it is read.
                .ConfigureOpenTelemetryMeterProvider(meters => meters.AddInMemoryExporter(metrics, reader =>
                    reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = Timeout.Infinite)),
        };
        var (calls, texted, _) = await PrivacyProofTests.PlayEveryFlowAsync(app, partner, twilio);

        var callers = PrivacyProofTests.Secrets(calls, texted);

        // The controls: a CallSid planted on the next span by a processor of the test's own, and a number planted
        // as a label on a counter of the service's meter.
        planted.CallSid = calls[0].CallSid;
        using (var control = new Meter(DispatchTelemetry.Name))
            control.CreateCounter<long>("alice.control.planted").Add(1, new KeyValuePair<string, object?>("number", callers[0]));
        Assert.Equal(HttpStatusCode.OK, (await app.CreateClient().GetAsync("/healthz")).StatusCode);
        await Eventually.True(() => spans.Snapshot().Any(s => s.Texts.Any(t => t.Where.Contains(Planting.Tag))), "the planted span was exported");

        // Nothing more is recorded once the service has stopped: everything it exported is read then. Its meter provider is
        // taken first: a stopped service's provider may be disposed (which exports once more) as the test reads.
        var meters = app.Services.GetRequiredService<MeterProvider>();
        await app.StopAsync();
        // Its result is false whatever happens (the Prometheus reader only answers scrapes): the metrics' names show the export.
        string[] expected = ["alice.rides.requested", "alice.rides.time_to_booking", "alice.rides.handed_over", "alice.partner.attempts",
            "alice.partner.circuit", "alice.webhook.duration", "alice.alerts.raised", "alice.police.deliveries",
            "alice.twilio.records_waiting", "http.server.request.duration", "http.client.request.duration"];
        var exportedMetrics = await Eventually.Value(() => { meters.ForceFlush(10_000); return Task.FromResult(metrics.Snapshot()); },
            got => expected.All(name => got.Any(m => m.Name == name)), "every metric the flow records was exported");
        var exported = spans.Snapshot();
        // Read once the service has stopped: the partner's ledger no longer changes then.
        var rides = await app.RidesInDatabase();
        var secrets = callers
            .Concat(rides.Select(r => r.Id))
            .Concat(partner.Bookings.SelectMany(b => new[] { b.BookingId, b.IdempotencyKey }))
            .ToList();
        // Four digits (1-9) stand in a port or a count too: a code is looked for as a whole word in text only.
        var codes = rides.Select(r => r.BookingCode).Concat(partner.Bookings.Select(b => b.Reference)).Distinct().ToList();
        var texts = exported.SelectMany(s => s.Texts).Concat(Texts(exportedMetrics)).ToList();

        // What the flow is seen to have recorded (the metrics' names above): the search is over the real thing, not an empty list.
        Assert.Contains(exportedMetrics, m => m.Name == "alice.partner.attempts" && m.MetricPoints.Any(p => Tags(p).Contains(("outcome", "unavailable"))));
        Assert.Contains(exported, s => s.Name == "booking attempt");
        Assert.Contains(exported, s => s.Name == "POST /twilio/pickup");
        Assert.Contains(exported, s => s.Name.StartsWith("POST /centre/rides/{"));
        Assert.Contains(exported, s => s.Kind == ActivityKind.Client && s.Source == "System.Net.Http"); // partners, Twilio, the police
        if (TestDatabase.IsPostgres) Assert.Contains(exported, s => s.Source == "Npgsql");
        // Npgsql records the SQL with its placeholders; the values would be db.query.parameter.* attributes, and there are none.
        Assert.DoesNotContain(exported.SelectMany(s => s.Texts), t => t.Where.Contains("db.query.parameter"));

        var found = texts.Where(t => secrets.Any(t.Text.Contains) || codes.Any(c => Regex.IsMatch(t.Text, $"(?<![0-9]){c}(?![0-9])"))).ToList();
        // The search finds both controls, and nothing else.
        Assert.Contains(found, f => f.Where.Contains(Planting.Tag));
        Assert.Contains(found, f => f.Where.Contains("alice.control.planted"));
        Assert.Empty(found.Where(f => !f.Where.Contains(Planting.Tag) && !f.Where.Contains("alice.control.planted")).Select(f => $"{f.Where}: {f.Text}"));
    }

    [Fact]
    public async Task Metrics_are_scraped_on_their_own_loopback_port_and_not_found_on_the_public_listener()
    {
        await using var partner = new PartnerSimulatorHost();
        await partner.InitializeAsync();
        var port = FreePort();
        await using var app = new DispatchApp(partner, settings: new() { ["Telemetry:PrometheusPort"] = port.ToString() });
        var ride = await app.BookRide();
        await app.RideWhen(ride, r => r.PartnerBookingId is not null);

        Assert.Equal(HttpStatusCode.NotFound, (await app.CreateClient().GetAsync("/metrics")).StatusCode);
        using var scraper = new HttpClient();
        var scraped = await Eventually.Value(() => scraper.GetStringAsync($"http://127.0.0.1:{port}/metrics"),
            text => text.Contains("alice_rides_time_to_booking_seconds_bucket"), "the booking's time was scraped");
        foreach (var name in new[] { "alice_rides_requested_total", "alice_partner_attempts_total", "alice_partner_circuit", "alice_twilio_records_waiting", "http_server_request_duration_seconds" })
            Assert.Contains(name, scraped);
    }

    [Fact]
    public async Task Traces_go_to_the_configured_OTLP_collector_over_HTTP()
    {
        var port = FreePort();
        using var collector = new HttpListener { Prefixes = { $"http://127.0.0.1:{port}/" } };
        collector.Start();
        var received = new System.Collections.Concurrent.ConcurrentQueue<(string Path, byte[] Body)>();
        _ = Task.Run(async () =>
        {
            try
            {
                while (collector.IsListening)
                {
                    var context = await collector.GetContextAsync();
                    using var body = new MemoryStream();
                    await context.Request.InputStream.CopyToAsync(body);
                    received.Enqueue((context.Request.Url!.AbsolutePath, body.ToArray()));
                    context.Response.StatusCode = 200;
                    context.Response.Close();
                }
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException) { } // the test is over
        });
        await using var partner = new PartnerSimulatorHost();
        await partner.InitializeAsync();
        await using var app = new DispatchApp(partner, settings: new() { ["Telemetry:OtlpEndpoint"] = $"http://127.0.0.1:{port}" });
        var ride = await app.BookRide();
        await app.RideWhen(ride, r => r.PartnerBookingId is not null);

        // The batch goes out within seconds (metrics every minute: not waited for here); it carries the booking's span.
        await Eventually.True(() => received.Any(r => r.Path == "/v1/traces" && System.Text.Encoding.UTF8.GetString(r.Body).Contains("booking attempt")),
            "the booking attempt's span reached the collector", TimeSpan.FromSeconds(20));
    }

    [Theory]
    [InlineData("Telemetry:PrometheusPort", "70000", "Telemetry:PrometheusPort must be a port")]
    [InlineData("Telemetry:OtlpEndpoint", "ftp://collector.example/", "Telemetry:OtlpEndpoint must be an absolute http(s) address")]
    public async Task A_telemetry_setting_that_cannot_work_stops_the_start_with_its_name(string key, string value, string expected)
    {
        await using var partner = new PartnerSimulatorHost();
        await partner.InitializeAsync();
        await using var app = new DispatchApp(partner, settings: new() { [key] = value });
        var failure = await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            await using var host = app.BuildHost();
            await host.StartAsync();
        });
        var messages = (failure is AggregateException all ? all.InnerExceptions : [failure]).OfType<Microsoft.Extensions.Options.OptionsValidationException>().SelectMany(o => o.Failures);
        Assert.Contains(messages, m => m.StartsWith(expected));
    }

    /// <summary>Test-only: once given a CallSid, writes it on every span that ends, as a careless enricher would.</summary>
    private sealed class Planting : BaseProcessor<Activity>
    {
        public const string Tag = "control.planted";
        public volatile string? CallSid;
        public override void OnEnd(Activity span)
        {
            if (CallSid is { } sid) span.SetTag(Tag, sid);
        }
    }

    /// <summary>Every piece of text exported of the metrics, with where it was: names, descriptions, units, labels.</summary>
    private static IEnumerable<(string Where, string Text)> Texts(List<MetricSnapshot> metrics)
    {
        foreach (var m in metrics)
        {
            foreach (var text in new[] { m.Name, m.Description, m.Unit, m.MeterName }) yield return ($"metric {m.Name}", text ?? "");
            foreach (var point in m.MetricPoints)
                foreach (var (key, value) in Tags(point)) yield return ($"metric {m.Name} label {key}", $"{key}={value}");
        }
    }

    /// <summary>Every piece of text of an ended span, with where it was: names, attributes, events, links, status.</summary>
    private static IEnumerable<(string Where, string Text)> Texts(Activity s)
    {
        var where = $"span {s.DisplayName} ({s.Source.Name})";
        foreach (var text in new[] { s.DisplayName, s.OperationName, s.StatusDescription, s.TraceStateString }) yield return (where, text ?? "");
        foreach (var (key, value) in s.TagObjects) yield return ($"{where} attribute {key}", $"{key}={value}");
        foreach (var (key, value) in s.Baggage) yield return ($"{where} baggage {key}", $"{key}={value}");
        foreach (var e in s.Events)
        {
            yield return ($"{where} event", e.Name);
            foreach (var (key, value) in e.Tags) yield return ($"{where} event {e.Name} attribute {key}", $"{key}={value}");
        }
        foreach (var link in s.Links)
            foreach (var (key, value) in link.Tags ?? []) yield return ($"{where} link attribute {key}", $"{key}={value}");
    }

    private static List<(string, string)> Tags(MetricPoint point)
    {
        var tags = new List<(string, string)>();
        foreach (var tag in point.Tags) tags.Add((tag.Key, tag.Value?.ToString() ?? ""));
        return tags;
    }

    private sealed record Span(string Name, string Source, ActivityKind Kind, List<(string Where, string Text)> Texts);

    /// <summary>What the in-memory metric exporter adds to, safe to read while it exports.</summary>
    private sealed class Locked<T> : Collection<T>
    {
        protected override void InsertItem(int index, T item)
        {
            lock (this) base.InsertItem(index, item);
        }

        public List<T> Snapshot()
        {
            lock (this) return [.. this];
        }
    }

    /// <summary>
    /// What the in-memory exporter adds to. Each span is read as it is exported, on the thread that ended it: the
    /// listeners are process-wide, so another test's service may still be processing the same span afterwards.
    /// </summary>
    private sealed class CapturedSpans : Collection<Activity>
    {
        private readonly List<Span> _seen = [];

        protected override void InsertItem(int index, Activity item)
        {
            var seen = new Span(item.DisplayName, item.Source.Name, item.Kind, Texts(item).ToList());
            lock (_seen) _seen.Add(seen);
        }

        public List<Span> Snapshot()
        {
            lock (_seen) return [.. _seen];
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
