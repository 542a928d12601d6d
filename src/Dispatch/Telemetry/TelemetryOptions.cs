using Microsoft.Extensions.Options;

namespace Alice.Dispatch.Telemetry;

/// <summary>Where metrics and traces go (section <c>Telemetry</c>). Neither given: nothing is collected.</summary>
internal sealed class TelemetryOptions
{
    /// <summary>An OpenTelemetry collector's OTLP/HTTP base address (say http://127.0.0.1:4318): metrics and traces go there.</summary>
    public Uri? OtlpEndpoint { get; set; }

    /// <summary>A port of its own, on 127.0.0.1 only, where Prometheus scrapes <c>/metrics</c>; off when not given.</summary>
    public int? PrometheusPort { get; set; }

    public bool Enabled => OtlpEndpoint is not null || PrometheusPort is not null;

    internal sealed class Validator : IValidateOptions<TelemetryOptions>
    {
        public ValidateOptionsResult Validate(string? name, TelemetryOptions o)
        {
            var errors = new List<string>();
            if (o.OtlpEndpoint is { } otlp && !(otlp.IsAbsoluteUri && otlp.Scheme is "http" or "https"))
                errors.Add("Telemetry:OtlpEndpoint must be an absolute http(s) address of an OTLP/HTTP collector.");
            if (o.PrometheusPort is < 1 or > 65535)
                errors.Add("Telemetry:PrometheusPort must be a port (1-65535); leave it out to turn the scrape endpoint off.");
            return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
        }
    }
}
