using System.Diagnostics.Metrics;
using Alice.Dispatch.Storage;
using Dapper;

namespace Alice.Dispatch.Telemetry;

/// <summary>
/// <c>alice.twilio.records_waiting</c>: Twilio records (calls, messages) whose deletion is still queued; a number
/// that only grows means Twilio keeps callers' numbers longer than promised. Read from the database when
/// metrics are collected (every export, or every scrape), from this service's own meter.
/// </summary>
internal sealed class TwilioBacklog : IDisposable
{
    private readonly Meter _meter;

    public TwilioBacklog(IMeterFactory meters, Database database)
    {
        _meter = meters.Create(DispatchTelemetry.Name);
        _meter.CreateObservableGauge(DispatchTelemetry.TwilioRecordsWaiting, () => Count(database), "{record}",
            "Twilio call and message records queued for deletion at Twilio, not deleted yet.");
    }

    /// <summary>None while the database cannot be read: a gap in the series, not a made-up zero.</summary>
    private static IEnumerable<Measurement<long>> Count(Database database)
    {
        try
        {
            using var connection = database.Connections.OpenConnection();
            return [new(connection.ExecuteScalar<long>("SELECT COUNT(*) FROM twilio_deletions;"))];
        }
        catch (System.Data.Common.DbException)
        {
            return [];
        }
    }

    public void Dispose() => _meter.Dispose();
}
