using Alice.Dispatch.Centre;
using Alice.Dispatch.Partners;
using Alice.Dispatch.Rides;
using Alice.Dispatch.Storage;
using Alice.Dispatch.Telemetry;

namespace Alice.Dispatch.Booking;

/// <summary>
/// The moves of a ride that must go together with a row another area owns, each in one transaction:
/// bookings recorded only if the partner's ledger never saw them given up, and a hand-over with the alert
/// that tells a person.
/// </summary>
internal sealed class RideTransitions(Database database, RideMoves moves, PartnerLedger ledger, AlertStore alerts, ILogger<RideTransitions> logger)
{
    internal enum Recorded { Booked, GivenUpBefore, RideMovedOn }

    /// <summary>Records that the partner holds the waiting ride's booking, unless that booking was given up before.</summary>
    public async Task<Recorded> RecordBookingAsync(string rideId, string partner, string bookingId, int? etaMinutes, CancellationToken ct)
    {
        // Not synced on its own on SQLite: if a power cut loses it, the ride is booked again under the same
        // idempotency key, which the partner answers with the same booking.
        await using var connection = await database.OpenAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        if (await ledger.IsDeadAsync(tx, partner, bookingId, ct)) return Recorded.GivenUpBefore;
        var booked = await moves.BookedAsync(tx, new(rideId, partner, bookingId, etaMinutes), ct);
        await tx.CommitAsync(ct);
        return booked ? Recorded.Booked : Recorded.RideMovedOn;
    }

    /// <summary>
    /// A person takes over the ride (<see cref="RideEvent.NoPartnerConfirmed"/> or <see cref="RideEvent.LastPartnerGaveUp"/>),
    /// the centre gets an alert, and both are counted, in one transaction.
    /// </summary>
    public async Task<bool> HandOverAsync(Ride ride, RideEvent why, string reason, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var changed = await moves.HandOverAsync(tx, ride, why, ct);
        if (changed) await alerts.RaiseAsync(tx, ride, AlertKind.NeedsPerson, ct);
        await tx.CommitAsync(ct);
        if (changed) logger.LogError("Ride {RideId}: {Reason}; handed over to a person (alert raised)", ride.Id, reason);
        if (changed) DispatchTelemetry.HandedOver(why, AlertKind.NeedsPerson);
        return changed;
    }
}
