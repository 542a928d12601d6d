using System.Net;
using System.Text.RegularExpressions;
using Alice.Accounts;
using Alice.Dispatch.Booking;
using Alice.Dispatch.Partners;
using Alice.Dispatch.Rides;
using Alice.Dispatch.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Alice.Dispatch.Tests;

/// <summary>
/// The page a console partner's dispatchers run their bookings on: only their own open bookings, only what the
/// API carries; each action the very transition of the API's event, audited with the dispatcher's name; nothing
/// else of the service reachable with such an account.
/// </summary>
public partial class PartnerDeskTests
{
    /// <summary>Two console partners ("desk", "other"), then the simulated API partner.</summary>
    private static Dictionary<string, string?> TwoDesks(PartnerSimulatorHost api) => new(ConsolePartnerTests.ConsoleFirst(api, acceptWithin: 50, budget: 60))
    {
        ["Partners:Providers:1:Name"] = "other",
        ["Partners:Providers:1:Mode"] = "Console",
        ["Partners:Providers:1:BaseUrl"] = "",
        ["Partners:Providers:1:Secret"] = "",
        ["Partners:Providers:1:DispatchPhone"] = "+32470000302",
        ["Partners:Providers:1:AcceptWithinSeconds"] = "50",
        ["Partners:Providers:1:Account"] = "alice-tests",
        ["Partners:Providers:2:Name"] = api.Name,
        ["Partners:Providers:2:BaseUrl"] = api.BaseUrl,
        ["Partners:Providers:2:Secret"] = PartnerSimulatorHost.Secret,
        ["Partners:Providers:2:Account"] = "alice-tests",
    };

    /// <summary>A dispatcher of this partner, invited as the server's command line does, enrolled and logged in.</summary>
    internal static async Task<Staff> DispatcherAsync(DispatchApp app, string partner, string? name = null)
    {
        name ??= $"dispatch-{Guid.NewGuid():N}"[..17];
        await using (var scope = app.Services.CreateAsyncScope())
        {
            using var output = new StringWriter();
            var done = await AccountCommands.RunAsync(scope.ServiceProvider, ["invite", name, "Partner", partner], [Roles.Centre, Roles.Operator, Roles.Partner],
                "https://localhost", false, output, CancellationToken.None, app.Services.GetRequiredService<IOptions<PartnerOptions>>().Value.AccountProblem);
            Assert.True(done == 0, output.ToString());
            var staff = new Staff(app);
            Assert.Equal(HttpStatusCode.OK, (await staff.EnrolAsync(new Uri(output.ToString().Trim().Split('\n')[^1]).PathAndQuery)).StatusCode);
            var login = await staff.LogInAsync(name);
            Assert.Equal("/partner", login.Headers.Location?.OriginalString);
            return staff;
        }
    }

    [GeneratedRegex("<tr data-booking=\"([^\"]+)\"")]
    private static partial Regex BookingRow();

    [Fact]
    public async Task A_dispatcher_sees_only_its_partner_s_open_bookings_with_what_the_api_carries_and_nothing_else()
    {
        await using var api = new PartnerSimulatorHost("fleet");
        await api.InitializeAsync();
        await using var app = new DispatchApp([api], settings: TwoDesks(api));
        using var desk = await DispatcherAsync(app, "desk");
        using var other = await DispatcherAsync(app, "other");

        var ride = await app.RideWhen(await app.BookRide("2"), r => r.Status == RideStatus.Booked && r.Partner == "desk");
        var sent = app.Services.GetRequiredService<BookingRun>().ToRequest(ride, app.Services.GetRequiredService<IOptions<PartnerOptions>>().Value.Providers[0]);
        var page = await desk.Client.GetStringAsync("/partner");
        var row = page[page.IndexOf("<tr data-booking", StringComparison.Ordinal)..page.IndexOf("</tr>", page.IndexOf("<tr data-booking", StringComparison.Ordinal), StringComparison.Ordinal)];
        // The cells are the booking's fields, as the API sends them, and the step: each shown, none other.
        var cells = Regex.Matches(row, "<td[^>]*>(.*?)</td>", RegexOptions.Singleline).Select(m => m.Groups[1].Value.Trim()).ToList();
        Assert.Equal(sent.Reference, cells[0]);
        Assert.Equal($"{sent.Pickup.Name}, {sent.Pickup.Address}", WebUtility.HtmlDecode(cells[1]));
        Assert.Equal(sent.Pickup.Instructions, WebUtility.HtmlDecode(cells[2]));
        Assert.Equal($"{sent.Destination.Name}, {sent.Destination.Address}", WebUtility.HtmlDecode(cells[3]));
        Assert.Equal(Alice.Totals.Week.InBrussels(sent.RequestedAt).ToString("HH:mm"), cells[4]);
        Assert.Equal(7, cells.Count); // and the step, then the actions' forms
        Assert.DoesNotContain(ride.Id, page.Replace(ride.PartnerBookingId!, "")); // the ride's own id only inside the booking id the page acts on

        // The other partner's dispatcher sees none of it, and cannot act on it.
        var elsewhere = await other.Client.GetStringAsync("/partner");
        Assert.Empty(BookingRow().Matches(elsewhere));
        Assert.DoesNotContain(ride.BookingCode, await other.Client.GetStringAsync("/partner/bookings"));
        var refused = await other.PostAsync($"/partner/bookings/{Uri.EscapeDataString(ride.PartnerBookingId!)}/cannot-serve", elsewhere, []);
        Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
        Assert.Equal(RideStatus.Booked, (await app.Ride(ride.Id))!.Status);
        Assert.Equal(HttpStatusCode.NotFound, (await desk.PostAsync("/partner/bookings/page-nothing/driver-arrived", page, [])).StatusCode);

        // Cannot serve: gone from the desk's page (the ride went to the next partner, "other", whose page has it now).
        Assert.Equal(HttpStatusCode.Redirect, (await desk.PostAsync($"/partner/bookings/{Uri.EscapeDataString(ride.PartnerBookingId!)}/cannot-serve", page, [])).StatusCode);
        var moved = await app.RideWhen(ride.Id, r => r.Status == RideStatus.Booked && r.Partner == "other");
        Assert.DoesNotContain(ride.BookingCode, await desk.Client.GetStringAsync("/partner/bookings"));
        Assert.Contains(moved.BookingCode, await other.Client.GetStringAsync("/partner/bookings"));
    }

    [Fact]
    public async Task A_whole_ride_run_on_the_page_ends_as_the_same_ride_with_the_same_totals_and_audit_as_one_run_through_the_api()
    {
        await using var api = new PartnerSimulatorHost("fleet");
        await api.InitializeAsync();
        var consoleOnly = ConsolePartnerTests.ConsoleFirst(api).Where(s => !s.Key.StartsWith("Partners:Providers:1:")).ToDictionary();
        await using var onPage = new DispatchApp([api], settings: consoleOnly);
        await using var throughApi = new DispatchApp([api]);

        using var desk = await DispatcherAsync(onPage, "desk", "dispatch-nadia");
        var a = await onPage.RideWhen(await onPage.BookRide(), r => r.Status == RideStatus.Booked && r.Partner == "desk");
        var at = $"/partner/bookings/{Uri.EscapeDataString(a.PartnerBookingId!)}";
        var page = await desk.Client.GetStringAsync("/partner");
        Assert.Equal(HttpStatusCode.BadRequest, (await desk.PostAsync($"{at}/accept", page, new() { ["eta"] = "999", ["car"] = "White Toyota Prius", ["plate"] = "1-ABC-234" })).StatusCode);
        Assert.Equal(RideStatus.Booked, (await onPage.Ride(a.Id))!.Status);
        foreach (var (action, fields) in new (string, Dictionary<string, string>)[]
        {
            ("accept", new() { ["eta"] = "7", ["car"] = "White Toyota Prius", ["plate"] = "1-ABC-234" }),
            ("accept", new() { ["eta"] = "9", ["car"] = "Red Fiat", ["plate"] = "2-XYZ-987" }), // a second click: a repeat, changes nothing
            ("driver-arrived", []), ("passenger-on-board", []), ("driver-arrived", []), // late: never backwards
            ("dropped-off", []),
        })
        {
            var answer = await desk.PostAsync($"{at}/{action}", page, fields);
            Assert.True(answer.StatusCode == HttpStatusCode.Redirect || action == "driver-arrived", $"{action}: {answer.StatusCode}");
        }

        var b = await throughApi.RideWhen(await throughApi.BookRide(), r => r.Status == RideStatus.Booked);
        foreach (var e in new object[]
        {
            new { type = "accepted", etaMinutes = 7, vehicle = new { description = "White Toyota Prius", plate = "1-ABC-234" } },
            new { type = "accepted", etaMinutes = 9, vehicle = new { description = "Red Fiat", plate = "2-XYZ-987" } },
            new { type = "driver_arrived" }, new { type = "passenger_on_board" }, new { type = "driver_arrived" }, new { type = "dropped_off" },
        })
        {
            var body = System.Text.Json.JsonSerializer.SerializeToNode(e)!.AsObject();
            var type = (string)body["type"]!;
            body["eventId"] = $"{b.PartnerBookingId}:{type}";
            body["bookingId"] = b.PartnerBookingId;
            Assert.Equal(HttpStatusCode.OK, (await throughApi.PostPartnerEvent("fleet", body)).StatusCode);
        }

        var (pageRide, apiRide) = (await onPage.Ride(a.Id), await throughApi.Ride(b.Id));
        Assert.Equal(RideStatus.DroppedOff, pageRide!.Status);
        Assert.Equal((apiRide!.Status, apiRide.Vehicle, apiRide.EtaMinutes, apiRide.EndedAt is null), (pageRide.Status, pageRide.Vehicle, pageRide.EtaMinutes, pageRide.EndedAt is null));
        Assert.Equal("White Toyota Prius, 1-ABC-234", pageRide.Vehicle);
        const string totals = "SELECT measure || '=' || SUM(value) FROM weekly_totals GROUP BY measure ORDER BY measure;";
        Assert.Equal(await throughApi.ColumnAsync<string>(totals), await onPage.ColumnAsync<string>(totals));
        // Each action that moved the ride audited once, with the dispatcher's name and the booking code only.
        Assert.Equal(["partner.accepted", "partner.driver-arrived", "partner.dropped-off", "partner.passenger-on-board"],
            await onPage.ColumnAsync<string>("SELECT action FROM audit_log WHERE actor = 'dispatch-nadia' AND subject = @code ORDER BY action;", new { code = a.BookingCode }));
        Assert.DoesNotContain(a.BookingCode, await desk.Client.GetStringAsync("/partner/bookings")); // dropped off: gone from the page
    }

    [Fact]
    public async Task A_dispatcher_is_refused_the_centre_console_and_a_centre_account_the_partner_page()
    {
        await using var api = new PartnerSimulatorHost("fleet");
        await api.InitializeAsync();
        await using var app = new DispatchApp([api], settings: TwoDesks(api));
        using var desk = await DispatcherAsync(app, "desk");
        foreach (var path in new[] { "/centre", "/centre/board", "/account/audit" })
            Assert.Equal("/account/denied", (await desk.Client.GetAsync(path)).Headers.Location?.AbsolutePath);

        using var nurse = await Staff.LoggedInAsync(app, Roles.Centre);
        Assert.Equal("/account/denied", (await nurse.Client.GetAsync("/partner")).Headers.Location?.AbsolutePath);
    }

    [Theory]
    [InlineData("fleet", "works through partner API v1")]
    [InlineData("nobody", "No taxi partner is named nobody")]
    public async Task The_command_line_invites_a_dispatcher_only_for_a_console_partner(string partner, string refusal)
    {
        await using var api = new PartnerSimulatorHost("fleet");
        await api.InitializeAsync();
        await using var app = new DispatchApp([api], settings: TwoDesks(api));
        await using var scope = app.Services.CreateAsyncScope();
        using var output = new StringWriter();
        var code = await AccountCommands.RunAsync(scope.ServiceProvider, ["invite", "someone", "Partner", partner], [Roles.Centre, Roles.Operator, Roles.Partner],
            "https://localhost", false, output, CancellationToken.None, app.Services.GetRequiredService<IOptions<PartnerOptions>>().Value.AccountProblem);
        Assert.Equal(1, code);
        Assert.Contains(refusal, output.ToString());
        Assert.DoesNotContain("someone", await app.ColumnAsync<string>("SELECT user_name FROM accounts;"));
    }

    [Fact]
    public async Task The_panel_s_command_line_refuses_a_partner_account()
    {
        await using var api = new PartnerSimulatorHost("fleet");
        await api.InitializeAsync();
        await using var app = new DispatchApp([api], settings: TwoDesks(api));
        await using var scope = app.Services.CreateAsyncScope();
        using var output = new StringWriter();
        // The roles the panel's host offers (Admin's AccountRoles) and no partner check, as the panel runs it.
        var code = await AccountCommands.RunAsync(scope.ServiceProvider, ["invite", "someone", "Partner", "desk"], [Roles.Organiser, Roles.Operator],
            "https://localhost", false, output, CancellationToken.None);
        Assert.Equal(1, code);
        Assert.Contains("never Partner", output.ToString());
    }
}
