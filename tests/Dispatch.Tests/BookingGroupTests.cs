using System.Collections.Concurrent;
using Alice.Dispatch.Booking;
using Alice.Dispatch.Campuses;
using Alice.Dispatch.Rides;
using Alice.Dispatch.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Quartz;

namespace Alice.Dispatch.Tests;

/// <summary>
/// Callers who press their key together share one booking job: each ride is still booked exactly once,
/// a ride that needs more than one try gets a job of its own, and the sweep never doubles a group's ride.
/// </summary>
public class BookingGroupTests
{
    [Fact]
    public async Task Rides_written_together_are_booked_by_one_job_and_each_exactly_once()
    {
        await using var fleet = await Fleet.StartAsync(partners: 1);
        var jobs = await JobsRunAsync(fleet.App);
        var quartz = await QuietAsync(fleet.App);

        var rides = await WriteRidesAsync(fleet, 5);
        await Scheduler(fleet.App).ScheduleNewAsync(rides.Select(r => r.Id).ToList(), CancellationToken.None);
        await quartz.Start();

        foreach (var ride in rides)
        {
            var booked = await fleet.App.RideWhen(ride.Id, r => r.Status == RideStatus.Booked);
            var booking = Assert.Single(fleet.Partners[0].Bookings, b => b.Reference == ride.BookingCode);
            Assert.Equal(ride.Id, booking.IdempotencyKey);
            Assert.Equal(booking.BookingId, booked.PartnerBookingId);
        }
        var job = Assert.Single(jobs);
        Assert.Equal("book-new-rides", job.Group);
    }

    [Fact]
    public async Task A_ride_of_a_group_that_its_partner_fails_gets_a_job_of_its_own_and_one_booking()
    {
        await using var fleet = await Fleet.StartAsync(partners: 1);
        var jobs = await JobsRunAsync(fleet.App);
        fleet.Partners[0].Faults.Set(new() { FailNext = 6 }); // the group run's quick retries fail, then the circuit opens
        var quartz = await QuietAsync(fleet.App);

        var rides = await WriteRidesAsync(fleet, 3);
        await Scheduler(fleet.App).ScheduleNewAsync(rides.Select(r => r.Id).ToList(), CancellationToken.None);
        await quartz.Start();

        foreach (var ride in rides)
        {
            // Within seconds, though the failures open the partner's circuit for a while; the sweep would take longer.
            await fleet.App.RideWhen(ride.Id, r => r.Status == RideStatus.Booked, within: TimeSpan.FromSeconds(12));
            Assert.Single(fleet.Partners[0].Bookings, b => b.Reference == ride.BookingCode);
        }
        Assert.Single(jobs, j => j.Group == "book-new-rides");
        Assert.Contains(jobs, j => j.Group == "book-ride" && rides.Any(r => r.Id == j.Name));
    }

    [Fact]
    public async Task The_sweep_leaves_a_groups_rides_to_it_and_gives_a_job_only_to_a_ride_without_one()
    {
        await using var fleet = await Fleet.StartAsync(partners: 1);
        var quartz = await QuietAsync(fleet.App); // nothing runs until the jobs are checked
        var rides = await WriteRidesAsync(fleet, 3);
        var scheduler = Scheduler(fleet.App);

        await scheduler.ScheduleNewAsync([rides[0].Id, rides[1].Id], CancellationToken.None);
        var given = await scheduler.EnsureScheduledAsync(rides.Select(r => r.Id).ToList(), CancellationToken.None);

        Assert.Equal(1, given);
        Assert.False(await scheduler.HasOwnJobAsync(rides[0].Id, CancellationToken.None));
        Assert.False(await scheduler.HasOwnJobAsync(rides[1].Id, CancellationToken.None));
        Assert.True(await scheduler.HasOwnJobAsync(rides[2].Id, CancellationToken.None));

        await quartz.Start();
        foreach (var ride in rides) await fleet.App.RideWhen(ride.Id, r => r.Status == RideStatus.Booked);
        Assert.All(rides, ride => Assert.Single(fleet.Partners[0].Bookings, b => b.Reference == ride.BookingCode));
    }

    [Fact]
    public async Task Callers_pressing_their_key_together_all_hear_a_code_and_are_each_booked_once()
    {
        await using var fleet = await Fleet.StartAsync(partners: 1);

        var ids = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => fleet.App.BookRide()));

        foreach (var id in ids) await fleet.App.RideWhen(id, r => r.Status == RideStatus.Booked);
        var rides = await Task.WhenAll(ids.Select(id => fleet.App.Ride(id)));
        Assert.Equal(12, rides.Select(r => r!.BookingCode).Distinct().Count());
        Assert.All(rides, ride => Assert.Single(fleet.Partners[0].Bookings, b => b.IdempotencyKey == ride!.Id));
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

    /// <summary>Rides on disk, as the ride writer leaves them, with no booking job yet.</summary>
    private static async Task<IReadOnlyList<Ride>> WriteRidesAsync(Fleet fleet, int count)
    {
        var requests = Enumerable.Range(0, count).Select(_ => new RideRequest(Guid.NewGuid().ToString("N"), "alma", "alma-metro", Languages.French, fleet.Partners[0].Name, TimeSpan.FromSeconds(120))).ToList();
        var written = await fleet.App.Services.GetRequiredService<RideStore>().InsertOrGetAsync(requests, CancellationToken.None);
        return written.Select(w => w.Ride!).ToList();
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
