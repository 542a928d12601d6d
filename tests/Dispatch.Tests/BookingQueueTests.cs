using Dapper;
using System.Collections.Concurrent;
using Alice.Dispatch.Booking;
using Alice.Dispatch.Campuses;
using Alice.Dispatch.Rides;
using Alice.Dispatch.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Quartz;

namespace Alice.Dispatch.Tests;

/// <summary>
/// Each new ride's first run happens in the booking queue, at once, without a job; only a ride that
/// needs another run gets a durable job of its own; the sweep gives a job only to a waiting ride without
/// one; a stop lets the first runs in flight end; a booking is recorded only for a waiting ride and never once given up.
/// </summary>
public class BookingQueueTests
{
    [Fact]
    public async Task Callers_pressing_their_key_together_are_each_booked_once_without_a_booking_job()
    {
        await using var fleet = await Fleet.StartAsync(partners: 1);
        var jobs = await JobsRunAsync(fleet.App);
        await SweepPausedAsync(fleet.App);

        var ids = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => fleet.App.BookRide()));

        foreach (var id in ids) await fleet.App.RideWhen(id, r => r.Status == RideStatus.Booked);
        var rides = await Task.WhenAll(ids.Select(id => fleet.App.Ride(id)));
        Assert.Equal(12, rides.Select(r => r!.BookingCode).Distinct().Count());
        Assert.All(rides, ride => Assert.Equal(1, Assert.Single(fleet.Partners[0].Bookings, b => b.IdempotencyKey == ride!.Id).Requests));
        Assert.Empty(jobs);
    }

    [Fact]
    public async Task A_ride_whose_partner_fails_its_first_run_gets_a_job_of_its_own_and_one_booking()
    {
        await using var fleet = await Fleet.StartAsync(partners: 1);
        var jobs = await JobsRunAsync(fleet.App);
        await SweepPausedAsync(fleet.App);
        fleet.Partners[0].Faults.Set(new() { FailNext = 6 }); // the first run's quick retries fail, then the circuit opens

        var id = await fleet.App.BookRide();

        // Within seconds, though the failures open the partner's circuit for a while; the sweep is paused.
        var booked = await fleet.App.RideWhen(id, r => r.Status == RideStatus.Booked, within: TimeSpan.FromSeconds(12));
        Assert.Equal(Assert.Single(fleet.Partners[0].Bookings).BookingId, booked.PartnerBookingId);
        Assert.Contains(BookingScheduler.JobFor(id), jobs);
    }

    [Fact]
    public async Task The_sweep_gives_a_job_only_to_a_waiting_ride_without_one()
    {
        await using var fleet = await Fleet.StartAsync(partners: 1);
        var quartz = await QuietAsync(fleet.App); // nothing runs until the jobs are checked
        var rides = await WriteRidesAsync(fleet, 3);
        var scheduler = Scheduler(fleet.App);

        await scheduler.ScheduleAsync(rides[0].Id, CancellationToken.None);
        var given = await scheduler.EnsureScheduledAsync(rides.Select(r => r.Id).ToList(), CancellationToken.None);

        Assert.Equal(2, given);
        foreach (var ride in rides) Assert.True(await quartz.Exists(BookingScheduler.JobFor(ride.Id)));
        await quartz.Start();
        foreach (var ride in rides) await fleet.App.RideWhen(ride.Id, r => r.Status == RideStatus.Booked);
        Assert.All(rides, ride => Assert.Single(fleet.Partners[0].Bookings, b => b.Reference == ride.BookingCode));
    }

    [Fact]
    public async Task A_ride_booked_by_its_first_run_while_the_sweep_reads_the_waiting_rides_gets_no_job_from_that_sweep()
    {
        await using var fleet = await Fleet.StartAsync(partners: 1);
        await SweepPausedAsync(fleet.App);
        fleet.Partners[0].Faults.Set(new() { LatencyMs = 700 });
        var queue = fleet.App.Services.GetRequiredService<BookingQueue>();
        var id = await fleet.App.BookRide();

        // The read saw the ride still waiting; by the time it returns, the first run has booked it.
        var left = await queue.NotPendingAsync(async _ =>
        {
            await fleet.App.RideWhen(id, r => r.Status == RideStatus.Booked);
            await Eventually.True(async () => (await queue.NotPendingAsync(_ => Task.FromResult<IReadOnlyList<string>>([id]), CancellationToken.None)).Count == 1,
                "the first run never ended");
            return [id];
        }, CancellationToken.None);

        Assert.Empty(left);
    }

    [Fact]
    public async Task A_stop_while_a_first_run_waits_for_the_partner_lets_it_end_and_the_ride_is_booked()
    {
        await using var fleet = await Fleet.StartAsync(partners: 1);
        fleet.Partners[0].Faults.Set(new() { LatencyMs = 700 });

        var id = await fleet.App.BookRide();
        await Eventually.True(() => fleet.Partners[0].Ledger.Attempts > 0, "the partner never heard of the ride");
        await fleet.App.StopAsync();

        // Read from the database itself: once stopped, the host disposes its services on its own thread, so
        // reading through them after the stop raced that disposal (ObjectDisposedException under load).
        await using var db = fleet.App.Database.Open();
        var (status, partnerBookingId) = await db.QuerySingleAsync<(string, string?)>(
            "SELECT status, partner_booking_id FROM rides WHERE id = @id;", new { id });
        Assert.Equal("booked", status);
        Assert.Equal(Assert.Single(fleet.Partners[0].Bookings).BookingId, partnerBookingId);
    }

    [Fact]
    public async Task Bookings_recorded_one_after_another_each_get_their_own_outcome_a_given_up_one_and_a_second_for_the_same_ride_included()
    {
        await using var fleet = await Fleet.StartAsync(partners: 1);
        await QuietAsync(fleet.App);
        var rides = await WriteRidesAsync(fleet, 3);
        var partner = fleet.Partners[0].Name;
        await fleet.App.Services.GetRequiredService<Partners.PartnerLedger>().MarkDeadAsync(partner, "B-given-up", rides[1].Id, CancellationToken.None);

        var transitions = fleet.App.Services.GetRequiredService<RideTransitions>();
        var results = new[]
        {
            await transitions.RecordBookingAsync(rides[0].Id, partner, "B-first", 6, CancellationToken.None),
            await transitions.RecordBookingAsync(rides[1].Id, partner, "B-given-up", 4, CancellationToken.None),
            await transitions.RecordBookingAsync(rides[0].Id, partner, "B-second", 3, CancellationToken.None),
            await transitions.RecordBookingAsync(rides[2].Id, partner, "B-third", null, CancellationToken.None),
        };

        Assert.Equal([RideTransitions.Recorded.Booked, RideTransitions.Recorded.GivenUpBefore, RideTransitions.Recorded.RideMovedOn, RideTransitions.Recorded.Booked], results);
        var after = await Task.WhenAll(rides.Select(r => fleet.App.Ride(r.Id)));
        Assert.Equal((RideStatus.Booked, "B-first", (int?)6), (after[0]!.Status, after[0]!.PartnerBookingId, after[0]!.EtaMinutes));
        Assert.Equal((RideStatus.Requested, (string?)null), (after[1]!.Status, after[1]!.PartnerBookingId));
        Assert.Equal((RideStatus.Booked, "B-third", (int?)null), (after[2]!.Status, after[2]!.PartnerBookingId, after[2]!.EtaMinutes));
    }

    private static BookingScheduler Scheduler(DispatchApp app) => app.Services.GetRequiredService<BookingScheduler>();

    /// <summary>
    /// The job scheduler on standby with nothing running or about to run, so that the booking sweep (which runs when the
    /// service starts, and may run late on a busy machine) cannot give the rides a test writes a job first. The
    /// scheduler is started once the service has started, so it is waited for: a standby before would be undone.
    /// </summary>
    private static async Task<IScheduler> QuietAsync(DispatchApp app)
    {
        var quartz = await app.Services.GetRequiredService<ISchedulerFactory>().GetScheduler();
        for (var i = 0; i < 200 && quartz.Status != SchedulerStatus.Running; i++) await Task.Delay(25);
        await quartz.Standby();
        // The sweep would run as soon as the scheduler starts again (its trigger misfired while on standby)
        // and could give rides their job a second time just as their group's job ends: the sweep has tests of its own.
        await quartz.PauseJob(BookingSweepJob.Key);
        for (var i = 0; i < 200 && (await quartz.QueryFireInstances(new FireInstanceQuery { State = null })).Items.Count > 0; i++) await Task.Delay(25);
        return quartz;
    }

    /// <summary>The booking sweep paused, so that any booking job that runs is one a ride's first run asked for.</summary>
    private static async Task SweepPausedAsync(DispatchApp app) => await (await QuietAsync(app)).Start();

    /// <summary>Rides on disk, as the booking desk leaves them, with no booking job yet.</summary>
    private static async Task<IReadOnlyList<Ride>> WriteRidesAsync(Fleet fleet, int count)
    {
        var requests = Enumerable.Range(0, count).Select(_ => new RideRequest(Guid.NewGuid().ToString("N"), "alma", "alma-metro", Languages.French, fleet.Partners[0].Name, TimeSpan.FromSeconds(120), Channel.Voice)).ToList();
        var store = fleet.App.Services.GetRequiredService<RideStore>();
        var written = new List<Ride>();
        foreach (var request in requests) written.Add((await store.InsertOrGetAsync(request, () => true, CancellationToken.None)).Ride!);
        return written;
    }

    /// <summary>The keys of the booking jobs the scheduler starts from now on, one entry per run.</summary>
    private static async Task<ConcurrentBag<JobKey>> JobsRunAsync(DispatchApp app)
    {
        var listener = new RunListener();
        var scheduler = await app.Services.GetRequiredService<ISchedulerFactory>().GetScheduler();
        scheduler.ListenerManager.AddJobListener(listener, [GroupMatcher<JobKey>.AnyGroup()]);
        return listener.Runs;
    }

    private sealed class RunListener : IJobListener
    {
        public ConcurrentBag<JobKey> Runs { get; } = [];
        public string Name => "test-runs";
        public ValueTask JobExecutionVetoed(IJobExecutionContext context, CancellationToken ct = default) => ValueTask.CompletedTask;
        public ValueTask JobWasExecuted(IJobExecutionContext context, JobExecutionException? error, CancellationToken ct = default) => ValueTask.CompletedTask;

        /// <summary>
        /// Recorded as the run starts: once a run has booked its rides they can be seen booked before it
        /// ends, and a run recorded only at its end was sometimes not there yet when the test looked.
        /// </summary>
        public ValueTask JobToBeExecuted(IJobExecutionContext context, CancellationToken ct = default)
        {
            if (context.JobDetail.JobType == typeof(BookRideJob)) Runs.Add(context.JobDetail.Key);
            return ValueTask.CompletedTask;
        }
    }
}
