using Alice.Dispatch.Rides;

namespace Alice.Dispatch.Tests;

/// <summary>
/// The ride's lifecycle as a table: every event against every state, each written out here by hand (a
/// state is its stored status, with <c>*</c> once the ride has ended), so a change to the lifecycle's table
/// shows up as a change to this one. A pair not listed is refused: nothing changes.
/// </summary>
public class RideLifecycleTests
{
    private static readonly Dictionary<RideEvent, string> Expected = new()
    {
        [RideEvent.PartnerBooked] = "requested → booked",
        [RideEvent.NextPartnerAsked] = "requested → requested",
        [RideEvent.BookingAskedAgain] = "requested → requested",
        [RideEvent.NoPartnerConfirmed] = "requested → needs_person*",
        [RideEvent.PartnerAccepted] = "booked → accepted, booked* → accepted*",
        [RideEvent.DriverArrived] = "booked → driver_arrived, accepted → driver_arrived, booked* → driver_arrived*, accepted* → driver_arrived*",
        [RideEvent.PassengerOnBoard] = "booked → passenger_on_board, accepted → passenger_on_board, driver_arrived → passenger_on_board, " +
            "booked* → passenger_on_board*, accepted* → passenger_on_board*, driver_arrived* → passenger_on_board*",
        [RideEvent.DroppedOff] = "booked → dropped_off*, accepted → dropped_off*, driver_arrived → dropped_off*, passenger_on_board → dropped_off*, " +
            "booked* → dropped_off*, accepted* → dropped_off*, driver_arrived* → dropped_off*, passenger_on_board* → dropped_off*",
        [RideEvent.PartnerGaveUp] = "booked → requested, accepted → requested, driver_arrived → requested",
        [RideEvent.LastPartnerGaveUp] = "booked → needs_person*, accepted → needs_person*, driver_arrived → needs_person*",
        // Still being booked too: the passenger is at the desk, the booking is called off.
        [RideEvent.ArrivedAtCentre] = "requested → dropped_off*, booked → dropped_off*, accepted → dropped_off*, driver_arrived → dropped_off*, passenger_on_board → dropped_off*, " +
            "needs_person* → dropped_off*, needs_person → dropped_off*",
        [RideEvent.Overdue] = "booked → booked*, accepted → accepted*, driver_arrived → driver_arrived*, passenger_on_board → passenger_on_board*, " +
            "dropped_off → dropped_off*, needs_person → needs_person*",
    };

    /// <summary>Every status, under way and ended.</summary>
    internal static IReadOnlyList<RideState> States { get; } =
        [.. Enum.GetValues<RideStatus>().SelectMany(s => new[] { new RideState(s, false), new RideState(s, true) })];

    /// <summary>The events by name (the lifecycle's types are the service's own, not the tests').</summary>
    public static TheoryData<string> Events => [.. Enum.GetNames<RideEvent>()];

    [Theory]
    [MemberData(nameof(Events))]
    public void Each_event_moves_a_ride_from_the_states_listed_to_the_state_listed_and_from_every_other_state_nowhere(string name)
    {
        var e = Enum.Parse<RideEvent>(name);
        var expected = Expected[e].Split(", ").Select(pair => pair.Split(" → ")).ToDictionary(p => State(p[0]), p => State(p[1]));

        foreach (var state in States)
            Assert.True(RideLifecycle.Next(state, e) == (expected.TryGetValue(state, out var to) ? to : null),
                $"{e} from {Name(state)}: expected {(expected.TryGetValue(state, out var want) ? Name(want) : "refused")}, " +
                $"the lifecycle says {(RideLifecycle.Next(state, e) is { } got ? Name(got) : "refused")}");
    }

    [Fact]
    public void Every_event_is_in_the_table_and_a_new_ride_starts_waiting_under_way()
    {
        Assert.Equal(Enum.GetValues<RideEvent>().Order(), Expected.Keys.Order());
        Assert.Equal(new RideState(RideStatus.Requested, false), RideLifecycle.Start);
    }

    [Fact]
    public void A_ride_never_moves_back_except_to_waiting_when_its_partner_gave_the_booking_up_and_an_ended_ride_stays_ended()
    {
        // The order of the lifecycle: a person's ride can still arrive, nothing comes after arriving.
        RideStatus[] order = [RideStatus.Requested, RideStatus.Booked, RideStatus.Accepted, RideStatus.DriverArrived, RideStatus.OnBoard, RideStatus.NeedsPerson, RideStatus.DroppedOff];
        var moves = States.SelectMany(from => Enum.GetValues<RideEvent>().Select(e => (from, e, to: RideLifecycle.Next(from, e)))).Where(m => m.to is not null).ToList();
        Assert.NotEmpty(moves);

        foreach (var (from, e, to) in moves)
        {
            Assert.True(!from.Ended || to!.Value.Ended, $"{e} brought an ended ride ({Name(from)}) back under way");
            if (e == RideEvent.PartnerGaveUp) Assert.Equal(new RideState(RideStatus.Requested, false), to);
            else Assert.True(Array.IndexOf(order, to!.Value.Status) >= Array.IndexOf(order, from.Status), $"{e} moved {Name(from)} back to {Name(to.Value)}");
        }
    }

    [Fact]
    public void An_event_that_comes_twice_changes_nothing_the_second_time()
    {
        foreach (var state in States)
            foreach (var e in Enum.GetValues<RideEvent>())
                if (RideLifecycle.Next(state, e) is { } once && RideLifecycle.Next(once, e) is { } twice)
                    Assert.True(twice == once, $"{e} twice from {Name(state)}: {Name(once)}, then {Name(twice)}");
    }

    [Fact]
    public void A_statement_s_guard_names_the_stored_statuses_of_the_states_its_event_moves_from()
    {
        Assert.Equal("((ended_at IS NULL AND status IN ('requested')))", RideLifecycle.Guard(RideEvent.PartnerBooked));
        Assert.Equal("((ended_at IS NULL AND status IN ('requested', 'booked', 'accepted', 'driver_arrived', 'passenger_on_board')) OR status IN ('needs_person'))",
            RideLifecycle.Guard(RideEvent.ArrivedAtCentre));
        Assert.Equal("(status IN ('booked', 'accepted'))", RideLifecycle.Guard(RideEvent.DriverArrived));
    }

    private static RideState State(string name) => new(RideLifecycle.Parse(name.TrimEnd('*')), name.EndsWith('*'));

    internal static string Name(RideState state) => state.Status.ToText() + (state.Ended ? "*" : "");
}
