using Npgsql;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Alice.Dispatch.Telemetry;

/// <summary>
/// Metrics and traces, when <c>Telemetry:OtlpEndpoint</c> or <c>Telemetry:PrometheusPort</c> is set: the service's
/// own (<see cref="DispatchTelemetry"/>, <see cref="TwilioBacklog"/>), ASP.NET Core's, HttpClient's, the runtime's and,
/// on PostgreSQL, Npgsql's (its spans hold the SQL text with its placeholders, never parameter values). Exported over
/// OTLP/HTTP to a collector, and/or scraped by Prometheus on a port of its own bound to 127.0.0.1, never on the
/// public listener. Every span loses its addresses first (<see cref="WithoutAddresses"/>).
/// </summary>
internal static class TelemetryExtensions
{
    public static IServiceCollection AddTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<TelemetryOptions, TelemetryOptions.Validator>(configuration, "Telemetry");
        var o = configuration.GetSection("Telemetry").Get<TelemetryOptions>() ?? new();
        // Settings that fail their validation wire nothing: the start stops on the validator's message, not on an exporter's.
        if (!o.Enabled || new TelemetryOptions.Validator().Validate(null, o).Failed) return services;
        services.AddSingleton<TwilioBacklog>();
        services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("alice-dispatch"))
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(DispatchTelemetry.Name)
                    .AddInstrumentation(provider => provider.GetRequiredService<TwilioBacklog>())
                    .AddAspNetCoreInstrumentation()
                    .AddHttpClientInstrumentation()
                    .AddRuntimeInstrumentation()
                    .AddNpgsqlInstrumentation();
                if (o.OtlpEndpoint is { } otlp) metrics.AddOtlpExporter(e => Otlp(e, otlp, "v1/metrics"));
                if (o.PrometheusPort is { } port)
                    metrics.AddPrometheusHttpListener(listener => (listener.Host, listener.Port) = ("127.0.0.1", port));
            })
            .WithTracing(tracing =>
            {
                tracing.AddSource(DispatchTelemetry.Name)
                    .AddAspNetCoreInstrumentation()
                    .AddHttpClientInstrumentation()
                    .AddNpgsql()
                    .AddProcessor(new WithoutAddresses());
                if (o.OtlpEndpoint is { } otlp) tracing.AddOtlpExporter(e => Otlp(e, otlp, "v1/traces"));
            });
        return services;
    }

    /// <summary>OTLP over HTTP (a collector on the same machine needs no gRPC), each signal at its own path under the base address.</summary>
    private static void Otlp(OtlpExporterOptions exporter, Uri endpoint, string path)
    {
        exporter.Protocol = OtlpExportProtocol.HttpProtobuf;
        exporter.Endpoint = new Uri(endpoint.AbsoluteUri.TrimEnd('/') + "/" + path);
    }
}
