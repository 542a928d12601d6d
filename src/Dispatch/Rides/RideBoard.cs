using Alice.Dispatch.Storage;

namespace Alice.Dispatch.Rides;

/// <summary>
/// The centre's questions about the rides, as its board and its pickup watchdog ask them: which are under
/// way, which arrived lately, which are late at their pickup point; and which a console partner runs now. Reads only.
/// </summary>
internal sealed class RideBoard(Database database)
{
    /// <summary>The rides still under way, the oldest first (a ride with a person is on the board by its alert).</summary>
    public async Task<IReadOnlyList<Ride>> UnderWayAsync(CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return await RideRows.QueryAsync(connection,
            $"SELECT {RideRows.Columns} FROM rides WHERE ended_at IS NULL ORDER BY created_at;", null, ct);
    }

    /// <summary>
    /// The rides this partner holds now and has not dropped off, the oldest first: a console partner's page. A ride
    /// handed to a person or moved to another partner no longer names it.
    /// </summary>
    public async Task<IReadOnlyList<Ride>> WithPartnerAsync(string partner, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return await RideRows.QueryAsync(connection,
            $"SELECT {RideRows.Columns} FROM rides WHERE partner = @partner AND ended_at IS NULL AND status IN ({string.Join(", ", Open.Select(s => $"'{s.ToText()}'"))}) ORDER BY created_at;",
            new { partner }, ct);
    }

    /// <summary>The statuses in which a partner runs a ride: from its booking until the passenger is on board.</summary>
    private static readonly RideStatus[] Open = [RideStatus.Booked, RideStatus.Accepted, RideStatus.DriverArrived, RideStatus.OnBoard];

    /// <summary>Rides that arrived at the centre since then, the latest first: the police can be asked for only on those.</summary>
    public async Task<IReadOnlyList<Ride>> ArrivedSinceAsync(DateTimeOffset since, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return await RideRows.QueryAsync(connection,
            $"SELECT {RideRows.Columns} FROM rides WHERE status = @droppedOff AND ended_at >= @since ORDER BY ended_at DESC;",
            new { droppedOff = RideStatus.DroppedOff.ToText(), since = since.ToUnixTimeSeconds() }, ct);
    }

    /// <summary>Rides a partner confirmed whose driver is not at the pickup point although the ETA was before <paramref name="cutoff"/>.</summary>
    public async Task<IReadOnlyList<Ride>> LateForPickupAsync(DateTimeOffset cutoff, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return await RideRows.QueryAsync(connection,
            $"SELECT {RideRows.Columns} FROM rides WHERE status IN (@booked, @accepted) AND ended_at IS NULL AND eta_at < @cutoff;",
            new { booked = RideStatus.Booked.ToText(), accepted = RideStatus.Accepted.ToText(), cutoff = cutoff.ToUnixTimeSeconds() }, ct);
    }
}
