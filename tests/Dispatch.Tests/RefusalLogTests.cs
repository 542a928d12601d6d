using Alice.Dispatch.Tests.Support;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Alice.Dispatch.Tests;

/// <summary>A flood of forged requests costs one log line a minute, with its count, not a line each.</summary>
public sealed class RefusalLogTests : IDisposable
{
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.Parse("2026-12-01T22:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
    private readonly LogCapture _logs = new();
    private readonly LoggerFactory _loggers;
    private readonly RefusalLog _refusals;

    public RefusalLogTests()
    {
        _loggers = new LoggerFactory([_logs]);
        _refusals = new RefusalLog(_clock, _loggers.CreateLogger<RefusalLog>());
    }

    public void Dispose()
    {
        _refusals.Dispose();
        _loggers.Dispose();
    }

    private List<string> Lines => [.. _logs.Entries.Select(e => e.Split(" | ")[0])];

    [Fact]
    public void The_first_refusal_is_logged_at_once_and_the_rest_as_one_count_a_minute()
    {
        for (var i = 0; i < 413; i++) _refusals.Refused("/twilio/*");
        Assert.Equal(["Warning Alice.Dispatch.RefusalLog: Refused a request on /twilio/* with a bad signature; further refusals are counted, one line every 60 s at most"], Lines);

        _clock.Advance(TimeSpan.FromSeconds(59));
        Assert.Single(Lines);
        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal("Warning Alice.Dispatch.RefusalLog: Refused requests on /twilio/* with a bad signature: 412 in the last 60 s", Lines[^1]);

        _refusals.Refused("/twilio/*");
        _clock.Advance(TimeSpan.FromSeconds(60));
        Assert.Equal("Warning Alice.Dispatch.RefusalLog: Refused requests on /twilio/* with a bad signature: 1 in the last 60 s", Lines[^1]);
        Assert.Equal(3, Lines.Count);
    }

    [Fact]
    public void A_quiet_minute_ends_the_count_and_the_next_refusal_is_logged_at_once()
    {
        _refusals.Refused("/partners/*/events");
        _clock.Advance(TimeSpan.FromMinutes(5));
        Assert.Single(Lines); // nothing to count: no line

        _refusals.Refused("/partners/*/events");
        Assert.Equal(2, Lines.Count);
        Assert.StartsWith("Warning Alice.Dispatch.RefusalLog: Refused a request on /partners/*/events", Lines[^1]);
    }

    [Fact]
    public void Each_kind_of_endpoint_is_counted_on_its_own()
    {
        _refusals.Refused("/twilio/*");
        _refusals.Refused("/partners/*/events");
        _refusals.Refused("/partners/*/events");
        _clock.Advance(TimeSpan.FromSeconds(60));

        Assert.Equal(3, Lines.Count);
        Assert.Contains("Warning Alice.Dispatch.RefusalLog: Refused requests on /partners/*/events with a bad signature: 1 in the last 60 s", Lines);
        Assert.DoesNotContain(Lines, l => l.Contains("Refused requests on /twilio/*"));
    }
}
