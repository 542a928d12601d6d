using System.Net;
using Alice.Accounts;
using Alice.Dispatch.Rides;
using Alice.Dispatch.Tests.Support;
using Dapper;
using Microsoft.Extensions.DependencyInjection;

namespace Alice.Dispatch.Tests;

/// <summary>The centre console: for the Centre role only; the board, alerts, arrival by code, each action audited.</summary>
public class CentreConsoleTests(Hotline hotline) : IClassFixture<Hotline>
{
    private DispatchApp App => hotline.App;

    [Fact]
    public async Task Without_a_login_the_console_sends_to_the_login_page_and_its_script_gets_401()
    {
        using var anonymous = new Staff(App);
        var page = await anonymous.Client.GetAsync("/centre");
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.Equal("/account/login", page.Headers.Location?.AbsolutePath);

        var request = new HttpRequestMessage(HttpMethod.Get, "/centre/board");
        request.Headers.Accept.ParseAdd("application/json");
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.Client.SendAsync(request)).StatusCode);
    }

    [Theory]
    [InlineData(Roles.Organiser)]
    [InlineData(Roles.Operator)]
    public async Task Another_role_is_denied_the_console(string role)
    {
        using var other = await Staff.LoggedInAsync(App, role);
        var page = await other.Client.GetAsync("/centre");
        Assert.Equal("/account/denied", page.Headers.Location?.AbsolutePath);
        var denied = await other.Client.GetAsync(page.Headers.Location!.PathAndQuery);
        Assert.Equal(HttpStatusCode.Forbidden, denied.StatusCode);
    }

    [Fact]
    public async Task A_booked_ride_is_on_the_board_with_its_code_pickup_status_eta_and_car()
    {
        using var nurse = await Staff.LoggedInAsync(App, Roles.Centre);
        var booked = await App.RideWhen(await App.BookRide("2"), r => r.Status == RideStatus.Booked);
        var accepted = await App.PostPartnerEvent("simulator", new
        {
            eventId = Guid.NewGuid().ToString(), bookingId = booked.PartnerBookingId, reference = booked.BookingCode, type = "accepted",
            etaMinutes = 6, vehicle = new { description = "Grey Skoda Octavia", plate = "1-XYZ-987" }, at = DateTimeOffset.UtcNow,
        });
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        var ride = await App.RideWhen(booked.Id, r => r.Status == RideStatus.Accepted);

        var board = WebUtility.HtmlDecode(await nurse.Client.GetStringAsync("/centre/board"));

        Assert.Contains($"<td class=\"code\" data-label=\"Code\">{ride.BookingCode}</td>", board); // each cell labelled, for the cards on a phone
        Assert.Contains("Cliniques Saint-Luc", board);
        Assert.Contains("Chauffeur en route", board);
        Assert.Contains("6 min", board);
        Assert.Contains("Grey Skoda Octavia", board);
        Assert.Contains("1-XYZ-987", board);
    }

    [Fact]
    public async Task A_car_a_partner_describes_with_markup_shows_on_the_console_as_text_never_as_markup()
    {
        using var nurse = await Staff.LoggedInAsync(App, Roles.Centre);
        var booked = await App.RideWhen(await App.BookRide("2"), r => r.Status == RideStatus.Booked);
        const string description = "<script>alert('x')</script><b>Grey</b> & \"Skoda\"";
        var accepted = await App.PostPartnerEvent("simulator", new
        {
            eventId = Guid.NewGuid().ToString(), bookingId = booked.PartnerBookingId, reference = booked.BookingCode, type = "accepted",
            etaMinutes = 6, vehicle = new { description, plate = "1-XYZ-987" }, at = DateTimeOffset.UtcNow,
        });
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        await App.RideWhen(booked.Id, r => r.Status == RideStatus.Accepted);

        foreach (var path in new[] { "/centre", "/centre/board" })
        {
            var html = await nurse.Client.GetStringAsync(path);
            Assert.DoesNotContain("<script>alert", html);
            Assert.DoesNotContain("<b>Grey</b>", html);
            Assert.Contains("&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;&lt;b&gt;Grey&lt;/b&gt; &amp; &quot;Skoda&quot;, 1-XYZ-987", html);
            Assert.Contains($"<td data-label=\"Voiture\">{description}, 1-XYZ-987</td>", WebUtility.HtmlDecode(html)); // the partner's words, as they were sent
        }
    }

    [Fact]
    public async Task Marking_a_ride_arrived_by_its_code_ends_it_frees_the_code_and_is_audited()
    {
        using var nurse = await Staff.LoggedInAsync(App, Roles.Centre, "nurse-arrival");
        var ride = await App.RideWhen(await App.BookRide(), r => r.Status >= RideStatus.Booked);

        var arrived = await nurse.PostAsync("/centre/arrivals", await nurse.Client.GetStringAsync("/centre"), new() { ["code"] = ride.BookingCode });

        Assert.Equal($"/centre?arrived={ride.BookingCode}", arrived.Headers.Location?.OriginalString);
        Assert.Contains($"Arrivée enregistrée pour le code {ride.BookingCode}", await nurse.Client.GetStringAsync(arrived.Headers.Location!.OriginalString));
        Assert.Null(await App.Services.GetRequiredService<RideStore>().FindArrivingByCodeAsync(ride.BookingCode, default)); // the code is free
        Assert.Equal(RideStatus.DroppedOff, (await App.Ride(ride.Id))!.Status);
        Assert.Contains(await App.Services.GetRequiredService<AuditLog>().ReadAsync(50, default),
            e => e.Actor == "nurse-arrival" && e.Action == "ride.arrived" && e.Subject == ride.BookingCode);
    }

    [Fact]
    public async Task A_code_given_again_after_its_arrival_says_it_arrived_and_in_which_hour()
    {
        using var nurse = await Staff.LoggedInAsync(App, Roles.Centre);
        var ride = await App.RideWhen(await App.BookRide(), r => r.Status >= RideStatus.Booked);
        await nurse.PostAsync("/centre/arrivals", await nurse.Client.GetStringAsync("/centre"), new() { ["code"] = ride.BookingCode });

        var again = await nurse.PostAsync("/centre/arrivals", await nurse.Client.GetStringAsync("/centre"), new() { ["code"] = ride.BookingCode });

        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        var hour = Centre.CentreTexts.Hour((await App.Ride(ride.Id))!.EndedAt!.Value, "fr");
        Assert.Matches(@"^entre \d\d:00 et \d\d:00$", hour); // the hour, as the arrival's time is kept
        var page = WebUtility.HtmlDecode(await again.Content.ReadAsStringAsync());
        Assert.Contains($"Le code {ride.BookingCode} est déjà arrivé au centre, {hour}.", page);
        Assert.Contains($"Arrivé·e {hour}", page); // and the board shows it on the arrived ride
    }

    [Fact]
    public async Task The_expected_time_is_the_pickup_until_the_passenger_is_on_board_then_the_arrival_at_the_centre_only_when_the_partner_says()
    {
        using var nurse = await Staff.LoggedInAsync(App, Roles.Centre);
        var quiet = await App.RideWhen(await App.BookRide("2"), r => r.Status == RideStatus.Booked);
        var told = await App.RideWhen(await App.BookRide("2"), r => r.Status == RideStatus.Booked);
        static object Event(Ride ride, string type, int? eta) => new
        {
            eventId = Guid.NewGuid().ToString(), bookingId = ride.PartnerBookingId, reference = ride.BookingCode, type, etaMinutes = eta, at = DateTimeOffset.UtcNow,
        };
        async Task<string> RowAsync(Ride ride) => System.Text.RegularExpressions.Regex.Match(WebUtility.HtmlDecode(await nurse.Client.GetStringAsync("/centre/board")),
            $"<tr data-ride=\"{ride.Id}\"[^>]*>(.*?)</tr>", System.Text.RegularExpressions.RegexOptions.Singleline).Groups[1].Value;

        await App.PostPartnerEvent("simulator", Event(quiet, "accepted", 6));
        Assert.Contains("prise en charge vers", await RowAsync(quiet));

        await App.PostPartnerEvent("simulator", Event(quiet, "passenger_on_board", null));
        var onBoard = await RowAsync(quiet);
        Assert.Contains("À bord", onBoard);
        Assert.DoesNotContain("prise en charge", onBoard); // the pickup's ETA is not the arrival's
        Assert.DoesNotContain("au centre vers", onBoard);

        await App.PostPartnerEvent("simulator", Event(told, "passenger_on_board", 12));
        Assert.Contains("au centre vers", await RowAsync(told));
    }

    [Theory]
    [InlineData("12", HttpStatusCode.BadRequest)]
    [InlineData("12345678901234567890", HttpStatusCode.BadRequest)]
    [InlineData("abcd", HttpStatusCode.BadRequest)]
    [InlineData("", HttpStatusCode.BadRequest)]
    [InlineData("9999", HttpStatusCode.NotFound)] // no digit 9 twice in a row is ever a code
    public async Task A_malformed_or_unknown_code_is_refused_with_the_reason_and_nothing_changes(string code, HttpStatusCode expected)
    {
        using var nurse = await Staff.LoggedInAsync(App, Roles.Centre);
        var before = await App.RidesInDatabase();

        var refused = await nurse.PostAsync("/centre/arrivals", await nurse.Client.GetStringAsync("/centre"), new() { ["code"] = code });

        Assert.Equal(expected, refused.StatusCode);
        Assert.Contains("Aucun trajet en cours n'a ce code", WebUtility.HtmlDecode(await refused.Content.ReadAsStringAsync()));
        Assert.Equal(before, await App.RidesInDatabase());
    }

    [Fact]
    public async Task An_arrival_posted_with_no_field_at_all_is_refused_with_the_reason()
    {
        using var nurse = await Staff.LoggedInAsync(App, Roles.Centre);
        var refused = await nurse.PostAsync("/centre/arrivals", await nurse.Client.GetStringAsync("/centre"), []);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("Aucun trajet en cours n'a ce code", WebUtility.HtmlDecode(await refused.Content.ReadAsStringAsync()));
    }

    [Fact]
    public async Task An_arrival_posted_without_its_antiforgery_token_is_refused_and_the_ride_stays()
    {
        using var nurse = await Staff.LoggedInAsync(App, Roles.Centre);
        var ride = await App.RideWhen(await App.BookRide(), r => r.Status >= RideStatus.Booked);

        var forged = await nurse.Client.PostAsync("/centre/arrivals", new FormUrlEncodedContent(new Dictionary<string, string> { ["code"] = ride.BookingCode }));

        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.NotEqual(RideStatus.DroppedOff, (await App.Ride(ride.Id))!.Status);
    }

    [Fact]
    public async Task A_ride_handed_to_a_person_is_on_top_of_the_board_and_its_alert_is_acknowledged_then_resolved_by_name()
    {
        await using var fleet = await Fleet.StartAsync(partners: 1, budgetPerPartnerSeconds: 1, handOverAfterSeconds: 1);
        fleet.Partners[0].Faults.Set(new() { DownUntil = DateTimeOffset.UtcNow.AddMinutes(5) });
        using var nurse = await Staff.LoggedInAsync(fleet.App, Roles.Centre, "nurse-alerts");
        var waiting = await fleet.App.RideWhen(await fleet.App.BookRide(), r => r.Status == RideStatus.NeedsPerson);

        var page = await nurse.Client.GetStringAsync("/centre");
        Assert.Contains($"<strong class=\"code\">{waiting.BookingCode}</strong>", page);
        var alertId = System.Text.RegularExpressions.Regex.Match(page, "data-alert=\"([^\"]+)\"").Groups[1].Value;

        var acknowledged = await nurse.PostAsync($"/centre/alerts/{alertId}/acknowledge", page, []);
        Assert.Equal("/centre", acknowledged.Headers.Location?.OriginalString);
        page = await nurse.Client.GetStringAsync("/centre");
        Assert.Contains("Pris en charge par nurse-alerts", page);

        Assert.Equal(HttpStatusCode.Redirect, (await nurse.PostAsync($"/centre/alerts/{alertId}/resolve", page, [])).StatusCode);
        Assert.DoesNotContain(alertId, await nurse.Client.GetStringAsync("/centre/board"));
        // Resolving it twice says it is handled already.
        Assert.Equal(HttpStatusCode.NotFound, (await nurse.PostAsync($"/centre/alerts/{alertId}/resolve", page, [])).StatusCode);

        await using var connection = fleet.App.Database.Open();
        var row = await connection.QuerySingleAsync<(string AckBy, string ResolvedBy, long? AckAt)>(
            "SELECT acknowledged_by, resolved_by, acknowledged_at FROM alerts WHERE id = @alertId;", new { alertId });
        Assert.Equal(("nurse-alerts", "nurse-alerts"), (row.AckBy, row.ResolvedBy));
        Assert.NotNull(row.AckAt);
        var audit = await fleet.App.Services.GetRequiredService<AuditLog>().ReadAsync(50, default);
        Assert.Contains(audit, e => e.Action == "alert.acknowledged" && e.Actor == "nurse-alerts" && e.Subject == waiting.BookingCode);
        Assert.Contains(audit, e => e.Action == "alert.resolved" && e.Actor == "nurse-alerts" && e.Subject == waiting.BookingCode);
    }

    [Fact]
    public async Task The_console_page_carries_the_security_headers_and_loads_its_script_from_the_service()
    {
        using var nurse = await Staff.LoggedInAsync(App, Roles.Centre);
        var page = await nurse.Client.GetAsync("/centre");
        Assert.Contains("frame-ancestors 'none'", page.Headers.GetValues("Content-Security-Policy").Single());
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("<script src=\"/assets/live.js\" defer></script>", html);
        Assert.DoesNotContain("<script>", html); // no inline script: the policy would refuse it
        Assert.Equal(HttpStatusCode.OK, (await nurse.Client.GetAsync("/assets/live.js")).StatusCode);
    }
}
