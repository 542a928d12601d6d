using Alice.Dispatch.Campuses;
using Alice.Dispatch.Rides;
using Alice.Dispatch.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Alice.Dispatch.Tests;

/// <summary>
/// The 4,608 booking codes: all held by active rides, the next caller reaches a person and a caller with a
/// ride keeps it; a ride that ends in any way frees its code, so a flood of rides no partner takes leaves
/// every code to the next caller; and a code a stored ride had is given again only when no other is free.
/// </summary>
public class CodeSpaceTests
{
    [Fact]
    public async Task When_every_code_is_held_by_an_active_ride_the_next_caller_is_bridged_to_a_person()
    {
        await using var partner = new PartnerSimulatorHost();
        await partner.InitializeAsync();
        await using var app = new DispatchApp(partner);
        var written = await FillEveryCodeAsync(app);

        var response = await app.PostWebhook("/twilio/pickup?lang=en&try=1", DispatchApp.TwilioForm("CA" + Guid.NewGuid().ToString("N"), digits: "1"));
        var twiml = await response.Content.ReadAsStringAsync();
        Assert.Equal(200, (int)response.StatusCode);
        Assert.Contains($"<Number>{DispatchApp.AlmaHumanLine}</Number>", twiml);
        Assert.Contains("BookingCodesExhaustedException", app.Logs.AllText);

        // A caller who already has a ride still finds it when Twilio retries the key press.
        var retried = await app.Services.GetRequiredService<RideStore>().InsertOrGetAsync(Request("flood-42"), () => true, CancellationToken.None);
        Assert.Equal((written[42].Id, false), (retried.Ride?.Id, retried.Created));
    }

    [Fact]
    public async Task A_ride_handed_to_a_person_frees_its_code_for_the_next_caller_even_when_every_other_code_is_held()
    {
        await using var partner = new PartnerSimulatorHost();
        await partner.InitializeAsync();
        await using var app = new DispatchApp(partner);
        var written = await FillEveryCodeAsync(app);

        // A hand-over, as when the last partner gives a booking up (a flood no partner takes is many of these).
        Assert.True(await app.Services.GetRequiredService<Booking.RideTransitions>().HandOverAsync(written[7], RideEvent.LastPartnerGaveUp, "the last partner gave up", CancellationToken.None));

        Assert.NotNull((await app.Ride(written[7].Id))!.EndedAt);
        var next = await app.PostWebhook("/twilio/pickup?lang=en&try=1", DispatchApp.TwilioForm("CA" + Guid.NewGuid().ToString("N"), digits: "1"));
        Assert.Contains($"Your code is: {Telephony.Prompts.Digits(written[7].BookingCode)}", await next.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_new_ride_gets_a_code_no_stored_ride_had_before_a_freed_one_and_a_handed_over_passenger_still_arrives_by_code()
    {
        await using var partner = new PartnerSimulatorHost();
        await partner.InitializeAsync();
        await using var app = new DispatchApp(partner);
        var written = await FillEveryCodeAsync(app);
        var transitions = app.Services.GetRequiredService<Booking.RideTransitions>();
        var (handedOver, deleted) = (written[42], written[1234]);
        foreach (var ride in new[] { handedOver, deleted }) Assert.True(await transitions.HandOverAsync(ride, RideEvent.LastPartnerGaveUp, "the last partner gave up", CancellationToken.None));
        // Retention deleted one of the two: its code is the only one no stored ride has.
        using (var connection = app.Database.Open())
            await Dapper.SqlMapper.ExecuteAsync(connection, "DELETE FROM alerts WHERE ride_id = @Id; DELETE FROM rides WHERE id = @Id;", new { deleted.Id });

        var fresh = (await app.Services.GetRequiredService<RideStore>().InsertOrGetAsync(Request("fresh"), () => true, CancellationToken.None)).Ride!;
        Assert.Equal(deleted.BookingCode, fresh.BookingCode);

        // The passenger of the ride a person took over (its alert open) is marked arrived by the code they heard.
        var (outcome, arrived) = await app.Services.GetRequiredService<Centre.CentreDesk>().ArriveAsync(handedOver.BookingCode, "nurse", CancellationToken.None);
        Assert.Equal((Centre.DeskOutcome.Done, handedOver.Id), (outcome, arrived?.Id));
        Assert.Equal(RideStatus.DroppedOff, (await app.Ride(handedOver.Id))!.Status);
        Assert.Equal(0L, await app.ScalarAsync("SELECT COUNT(*) FROM alerts WHERE ride_id = @Id AND resolved_at IS NULL;", new { handedOver.Id }));
    }

    [Fact]
    public async Task Two_writers_sharing_a_database_with_few_codes_left_never_give_one_code_twice()
    {
        await using var partner = new PartnerSimulatorHost();
        await partner.InitializeAsync();
        await using var app = new DispatchApp(partner);
        var services = app.Services;
        var database = services.GetRequiredService<Storage.Database>();
        // A second instance's writer: the same database, a store of its own.
        var other = new RideStore(database, new EndedCalls(database), services.GetRequiredService<Totals.WeeklyTotals>(), TimeProvider.System);
        var store = services.GetRequiredService<RideStore>();

        // 4,400 codes taken by this one (the first 4,000 written at once): random draws miss too often near
        // the end, so its last codes were picked from a listing of the stored ones.
        var codes = BookingCodes.All.OrderBy(_ => Random.Shared.Next()).Take(4000).ToList();
        await WriteAtOnceAsync(app, codes);
        var written = new List<Ride>();
        foreach (var request in Enumerable.Range(0, 400).Select(i => Request($"first-{i}")))
            written.Add((await store.InsertOrGetAsync(request, () => true, CancellationToken.None)).Ride!);
        // The other takes most of what is left, then this one the last few.
        foreach (var request in Enumerable.Range(0, 150).Select(i => Request($"other-{i}")))
            written.Add((await other.InsertOrGetAsync(request, () => true, CancellationToken.None)).Ride!);
        foreach (var request in Enumerable.Range(0, 58).Select(i => Request($"last-{i}")))
            written.Add((await store.InsertOrGetAsync(request, () => true, CancellationToken.None)).Ride!);

        Assert.Equal(BookingCodes.All.Order(), codes.Concat(written.Select(r => r.BookingCode)).Order());
        Assert.Equal((long)BookingCodes.All.Count, await app.ScalarAsync("SELECT COUNT(DISTINCT booking_code) FROM rides WHERE ended_at IS NULL;"));
    }

    [Fact]
    public async Task Two_writers_at_the_same_moment_give_one_call_one_ride_and_never_one_code_twice()
    {
        await using var partner = new PartnerSimulatorHost();
        await partner.InitializeAsync();
        await using var app = new DispatchApp(partner);
        var services = app.Services;
        var database = services.GetRequiredService<Storage.Database>();
        var store = services.GetRequiredService<RideStore>();
        var other = new RideStore(database, new EndedCalls(database), services.GetRequiredService<Totals.WeeklyTotals>(), TimeProvider.System);
        // Twelve codes left, so that the two often pick the same one.
        var codes = BookingCodes.All.OrderBy(_ => Random.Shared.Next()).ToList();
        await WriteAtOnceAsync(app, codes.Skip(12));

        // Each call's key press and Twilio's retry of it, answered at the same moment by two instances.
        var written = new List<RideStore.Written>();
        for (var i = 0; i < 12; i++)
        {
            var request = Request($"both-{i}");
            var both = await Task.WhenAll(new[] { store, other }.Select(s => Task.Run(() => s.InsertOrGetAsync(request, () => true, CancellationToken.None))));
            Assert.Equal(both[0].Ride!.Id, both[1].Ride!.Id);
            Assert.Single(both, w => w.Created);
            written.Add(both[0]);
        }

        Assert.Equal(codes.Take(12).Order(), written.Select(w => w.Ride!.BookingCode).Order());
        Assert.Equal((long)BookingCodes.All.Count, await app.ScalarAsync("SELECT COUNT(DISTINCT booking_code) FROM rides WHERE ended_at IS NULL;"));
    }

    /// <summary>
    /// A ride on every one of the 4,608 codes, marked booked as if each partner had taken it: booked rides hold
    /// their codes as waiting ones do, and no booking job runs for thousands of rides while the test looks.
    /// All but the last few are written at once; the last ones as the booking desk writes them, where random
    /// draws nearly always miss and the store must find the few codes left among those stored.
    /// </summary>
    internal static async Task<List<Ride>> FillEveryCodeAsync(DispatchApp app)
    {
        const int byTheStore = 20;
        var store = app.Services.GetRequiredService<RideStore>(); // the service started, its database migrated
        var codes = BookingCodes.All.OrderBy(_ => Random.Shared.Next()).ToList();
        await WriteAtOnceAsync(app, codes.Take(codes.Count - byTheStore));
        var last = new List<Ride>();
        foreach (var request in Enumerable.Range(codes.Count - byTheStore, byTheStore).Select(i => Request($"flood-{i}")))
            last.Add((await store.InsertOrGetAsync(request, () => true, CancellationToken.None)).Ride!);
        Assert.Equal(codes.TakeLast(byTheStore).Order(), last.Select(r => r.BookingCode).Order());

        using (var connection = app.Database.Open())
            await Dapper.SqlMapper.ExecuteAsync(connection, "UPDATE rides SET status = 'booked', partner = 'simulator', partner_booking_id = 'bk-' || id;");
        await using var reading = await app.Services.GetRequiredService<Storage.Database>().OpenAsync(CancellationToken.None);
        var byId = (await RideRows.QueryAsync(reading, $"SELECT {RideRows.Columns} FROM rides;", null, CancellationToken.None)).ToDictionary(r => r.Id);
        // In the order of their calls, as a test names them (the ride of call flood-42 is the 43rd).
        var all = (await Dapper.SqlMapper.QueryAsync<(string Id, string CallKey)>(reading, "SELECT id, call_key FROM rides;"))
            .OrderBy(r => int.Parse(r.CallKey["flood-".Length..])).Select(r => byId[r.Id]).ToList();
        Assert.Equal(BookingCodes.All.Order(), all.Select(r => r.BookingCode).Order());
        Assert.All(all, r => Assert.Equal(RideStatus.Booked, r.Status));
        return all;
    }

    /// <summary>
    /// Rides waiting for a partner on these codes (calls flood-0, flood-1…), written in one transaction as the
    /// booking desk would write them one by one: thousands of bookings each synced took most of a minute.
    /// </summary>
    private static async Task WriteAtOnceAsync(DispatchApp app, IEnumerable<string> codes)
    {
        using var connection = app.Database.Open();
        using var tx = connection.BeginTransaction();
        await Dapper.SqlMapper.ExecuteAsync(connection,
            """
            INSERT INTO rides (id, booking_code, call_key, campus, pickup_point, language, status, trying_partner, partners_asked,
                               partner_since, waiting_since, hand_over_at, created_at, updated_at)
            VALUES (@id, @code, @callKey, 'alma', 'alma-metro', 'fr', 'requested', 'simulator', 'simulator', @now, @now, @now + 120, @now, @now);
            """,
            codes.Select((code, i) => new { id = Guid.NewGuid().ToString(), code, callKey = $"flood-{i}", now = DateTimeOffset.UtcNow.ToUnixTimeSeconds() }), tx);
        tx.Commit();
    }

    /// <summary>A key press at the Alma metro pickup point, by the call with this key.</summary>
    private static RideRequest Request(string callKey) =>
        new(callKey, "alma", "alma-metro", Languages.French, "simulator", TimeSpan.FromMinutes(2), Channel.Voice);
}
