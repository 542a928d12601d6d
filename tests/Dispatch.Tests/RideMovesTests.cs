using Alice.Dispatch.Booking;
using Alice.Dispatch.Campuses;
using Alice.Dispatch.Rides;
using Alice.Dispatch.Storage;
using Alice.Dispatch.Tests.Support;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Quartz;

namespace Alice.Dispatch.Tests;

/// <summary>
/// Each statement that moves a ride applies the lifecycle's table on the database itself: a ride put in every
/// state (stored status, under way or ended) meets each writer — the booking run's, the partner's events, the
/// hand-overs, the centre's arrival, retention's end of overdue rides — and afterwards stands where the table
/// says, or where it stood when the table refuses the event (and the writer says it did not move it).
/// </summary>
public class RideMovesTests
{
    [Fact]
    public async Task Every_writer_moves_a_ride_in_every_state_exactly_as_the_lifecycle_table_says()
    {
        await using var partner = new PartnerSimulatorHost();
        await partner.InitializeAsync();
        await using var app = new DispatchApp(partner);
        app.CreateClient().Dispose();
        // No booking job may move the waiting rides written here: the job scheduler stands by.
        var quartz = await app.Services.GetRequiredService<ISchedulerFactory>().GetScheduler();
        await Eventually.True(() => quartz.Status == SchedulerStatus.Running, "the job scheduler runs");
        await quartz.Standby();
        var services = app.Services;
        var (moves, transitions) = (services.GetRequiredService<RideMoves>(), services.GetRequiredService<RideTransitions>());

        var writers = new Dictionary<RideEvent, Func<Ride, Task<bool>>>
        {
            [RideEvent.PartnerBooked] = async r => await transitions.RecordBookingAsync(r.Id, partner.Name, "B-" + r.Id, 5, default) == RideTransitions.Recorded.Booked,
            [RideEvent.NextPartnerAsked] = r => moves.NextPartnerAsync(r, "second", default),
            [RideEvent.BookingAskedAgain] = r => moves.AskAgainAsync(r.Id, default),
            [RideEvent.NoPartnerConfirmed] = r => transitions.HandOverAsync(r, RideEvent.NoPartnerConfirmed, "no partner confirmed", default),
            [RideEvent.PartnerAccepted] = r => moves.PartnerReportedAsync(r, RideEvent.PartnerAccepted, 6, "White Toyota Prius", default),
            [RideEvent.DriverArrived] = r => moves.PartnerReportedAsync(r, RideEvent.DriverArrived, null, null, default),
            [RideEvent.PassengerOnBoard] = r => moves.PartnerReportedAsync(r, RideEvent.PassengerOnBoard, null, null, default),
            [RideEvent.DroppedOff] = r => moves.PartnerReportedAsync(r, RideEvent.DroppedOff, null, null, default),
            [RideEvent.PartnerGaveUp] = r => moves.RebookAsync(r, "second", TimeSpan.FromMinutes(2), default),
            [RideEvent.LastPartnerGaveUp] = r => transitions.HandOverAsync(r, RideEvent.LastPartnerGaveUp, "the last partner gave up", default),
            [RideEvent.ArrivedAtCentre] = async r =>
            {
                await using var connection = await app.Services.GetRequiredService<Database>().OpenAsync();
                await using var tx = await connection.BeginTransactionAsync();
                var arrived = await moves.ArriveAsync(tx, r, default);
                await tx.CommitAsync();
                return arrived;
            },
        };
        var wrong = new List<string>();
        // Retention ends every overdue ride in one statement: first, a ride in each state, all made before its cutoff.
        var overdue = new List<(Ride Ride, RideState State)>();
        foreach (var state in RideLifecycleTests.States) overdue.Add((await RideInAsync(app, state), state));
        var ended = await moves.EndOverdueAsync(DateTimeOffset.UtcNow.AddMinutes(1), default);
        if (ended != RideLifecycleTests.States.Count(s => RideLifecycle.Next(s, RideEvent.Overdue) is not null)) wrong.Add($"Overdue ended {ended} rides");
        foreach (var (ride, state) in overdue)
        {
            var after = (await app.Ride(ride.Id))!.State;
            if (after != (RideLifecycle.Next(state, RideEvent.Overdue) ?? state))
                wrong.Add($"Overdue from {RideLifecycleTests.Name(state)}: now {RideLifecycleTests.Name(after)}");
        }

        foreach (var (e, write) in writers)
            foreach (var state in RideLifecycleTests.States)
            {
                var ride = await RideInAsync(app, state);
                var moved = await write(ride);
                var expected = RideLifecycle.Next(state, e);
                var after = (await app.Ride(ride.Id))!.State;
                if (moved != (expected is not null) || after != (expected ?? state))
                    wrong.Add($"{e} from {RideLifecycleTests.Name(state)}: {(moved ? "moved" : "refused")} to {RideLifecycleTests.Name(after)}, " +
                              $"the table says {(expected is { } to ? RideLifecycleTests.Name(to) : "refused")}");
            }

        Assert.Equal(Enum.GetValues<RideEvent>().Order(), writers.Keys.Append(RideEvent.Overdue).Order());
        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
    }

    /// <summary>A new ride, put in this state as its row stores it.</summary>
    private static async Task<Ride> RideInAsync(DispatchApp app, RideState state)
    {
        var request = new RideRequest(Guid.NewGuid().ToString("N"), "alma", "alma-metro", Languages.French, "simulator", TimeSpan.FromMinutes(2), Channel.Voice);
        var ride = (await app.Services.GetRequiredService<RideStore>().InsertOrGetAsync(request, () => true, default)).Ride!;
        await using (var connection = app.Database.Open())
            await connection.ExecuteAsync("UPDATE rides SET status = @status, ended_at = @ended WHERE id = @id;",
                new { status = state.Status.ToText(), ended = state.Ended ? DateTimeOffset.UtcNow.ToUnixTimeSeconds() : (long?)null, id = ride.Id });
        return (await app.Ride(ride.Id))!;
    }
}
