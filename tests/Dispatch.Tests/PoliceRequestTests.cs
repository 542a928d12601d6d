extern alias police;
using System.Net;
using System.Text.Json;
using Alice.Accounts;
using Alice.Dispatch.Rides;
using Alice.Dispatch.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Alice.Dispatch.Tests;

/// <summary>A service whose Alma campus's police zone is a receiver of its own, so a test sees exactly what the police get.</summary>
public sealed class PoliceZone : IAsyncLifetime
{
    public PartnerSimulatorHost Partner { get; } = new();
    public PoliceReceiverHost Receiver { get; private set; } = null!;
    public DispatchApp App { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await Partner.InitializeAsync();
        Receiver = await PoliceReceiverHost.StartAsync();
        App = new DispatchApp(Partner, settings: Receiver.Settings);
        App.CreateClient().Dispose();
    }

    public async Task DisposeAsync()
    {
        await App.DisposeAsync();
        await Receiver.DisposeAsync();
        await Partner.DisposeAsync();
    }
}

/// <summary>
/// The police are told only when the victim, at the centre, asks a Centre user: on a ride that has
/// arrived, after a confirmation, once; any other way is refused and sends nothing.
/// </summary>
public class PoliceRequestTests(PoliceZone zone) : IClassFixture<PoliceZone>
{
    private DispatchApp App => zone.App;
    private IReadOnlyList<police::Alice.PoliceReceiver.Received> Received => zone.Receiver.Inbox.All;

    [Fact]
    public async Task A_request_for_an_arrived_ride_reaches_the_zone_signed_with_the_reference_the_centre_and_its_contact_only()
    {
        using var nurse = await Staff.LoggedInAsync(App, Roles.Centre, "nurse-police");
        var call = App.Call(from: "+32470123987");
        await call.PlayAsync("-3");
        var ride = await ArrivedAsync(nurse, call.CodeHeard()!);

        var page = await nurse.Client.GetStringAsync($"/centre/rides/{ride.Id}/police");
        Assert.Contains("Zone de police Montgomery", page);
        Assert.Contains("Rien sur la personne", page);
        var sent = await nurse.PostAsync($"/centre/rides/{ride.Id}/police", page, new() { ["confirmed"] = "yes" });
        Assert.Equal("/centre", sent.Headers.Location?.OriginalString);

        var received = await ReceivedForAsync(ride.BookingCode);
        var body = received.Body;
        Assert.Equal(["type", "requestId", "bookingReference", "requestedAt", "zone", "centre", "contact"], body.EnumerateObject().Select(p => p.Name));
        Assert.Equal("police_request", body.GetProperty("type").GetString());
        Assert.Equal("CPVS Bruxelles (CHU Saint-Pierre)", body.GetProperty("centre").GetProperty("name").GetString());
        Assert.Equal(CampusNumbers.CentreContact, body.GetProperty("contact").GetString());
        Assert.Equal(0, body.GetProperty("requestedAt").GetDateTimeOffset().Second); // to the minute
        var text = body.ToString();
        Assert.DoesNotContain("470123987", text);
        Assert.DoesNotContain(call.CallSid, text);
        Assert.DoesNotContain("Vandervelde", text); // not even where the ride came from
        Assert.Equal(0, zone.Receiver.Inbox.Refused);  // the signature was right

        Assert.Contains("reçue par la zone", await nurse.Client.GetStringAsync("/centre/board"));
        Assert.Contains(await App.Services.GetRequiredService<AuditLog>().ReadAsync(100, default),
            e => e.Actor == "nurse-police" && e.Action == "police.requested" && e.Subject == ride.BookingCode);
    }

    [Fact]
    public async Task Before_arrival_the_police_action_is_absent_and_refused()
    {
        using var nurse = await Staff.LoggedInAsync(App, Roles.Centre);
        var ride = await App.RideWhen(await App.BookRide(), r => r.Status >= RideStatus.Booked);

        var page = await nurse.Client.GetAsync($"/centre/rides/{ride.Id}/police");
        Assert.Equal(HttpStatusCode.Conflict, page.StatusCode);
        var html = await page.Content.ReadAsStringAsync();
        Assert.DoesNotContain("<form method=\"post\" action=\"/centre/rides", html);
        Assert.DoesNotContain($"/centre/rides/{ride.Id}/police", await nurse.Client.GetStringAsync("/centre/board"));

        var forced = await nurse.PostAsync($"/centre/rides/{ride.Id}/police", await nurse.Client.GetStringAsync("/centre"), new() { ["confirmed"] = "yes" });
        Assert.Equal(HttpStatusCode.Conflict, forced.StatusCode);
        await AssertNothingSentAsync(ride);
    }

    [Fact]
    public async Task A_forged_post_without_its_antiforgery_token_is_refused_and_sends_nothing()
    {
        using var nurse = await Staff.LoggedInAsync(App, Roles.Centre);
        var ride = await ArrivedAsync(nurse, null);

        var forged = await nurse.Client.PostAsync($"/centre/rides/{ride.Id}/police", new FormUrlEncodedContent(new Dictionary<string, string> { ["confirmed"] = "yes" }));

        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        await AssertNothingSentAsync(ride);
    }

    [Fact]
    public async Task Without_the_confirmation_nothing_is_sent()
    {
        using var nurse = await Staff.LoggedInAsync(App, Roles.Centre);
        var ride = await ArrivedAsync(nurse, null);

        var refused = await nurse.PostAsync($"/centre/rides/{ride.Id}/police", await nurse.Client.GetStringAsync($"/centre/rides/{ride.Id}/police"), []);

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("rien n'a été envoyé", WebUtility.HtmlDecode(await refused.Content.ReadAsStringAsync()));
        await AssertNothingSentAsync(ride);
    }

    [Theory]
    [InlineData(Roles.Organiser)]
    [InlineData(Roles.Operator)]
    public async Task Another_role_cannot_ask_for_the_police(string role)
    {
        using var nurse = await Staff.LoggedInAsync(App, Roles.Centre);
        var ride = await ArrivedAsync(nurse, null);
        using var other = await Staff.LoggedInAsync(App, role);

        var page = await other.Client.GetAsync($"/centre/rides/{ride.Id}/police");
        var post = await other.PostAsync($"/centre/rides/{ride.Id}/police", await other.Client.GetStringAsync("/account"), new() { ["confirmed"] = "yes" });

        Assert.Equal("/account/denied", page.Headers.Location?.AbsolutePath);
        Assert.Equal("/account/denied", post.Headers.Location?.AbsolutePath);
        await AssertNothingSentAsync(ride);
    }

    [Fact]
    public async Task A_ride_is_reported_to_the_police_once()
    {
        using var nurse = await Staff.LoggedInAsync(App, Roles.Centre);
        var ride = await ArrivedAsync(nurse, null);
        var page = await nurse.Client.GetStringAsync($"/centre/rides/{ride.Id}/police");
        Assert.Equal(HttpStatusCode.Redirect, (await nurse.PostAsync($"/centre/rides/{ride.Id}/police", page, new() { ["confirmed"] = "yes" })).StatusCode);

        var again = await nurse.PostAsync($"/centre/rides/{ride.Id}/police", page, new() { ["confirmed"] = "yes" });

        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        await ReceivedForAsync(ride.BookingCode);
        await App.Services.GetRequiredService<Police.PoliceNotifier>().RunAsync(default); // one more delivery round, now
        Assert.Single(Received, r => r.Body.GetProperty("bookingReference").GetString() == ride.BookingCode);
    }

    [Fact]
    public async Task With_the_zone_down_the_request_is_shown_pending_retried_and_delivered_once()
    {
        using var nurse = await Staff.LoggedInAsync(App, Roles.Centre);
        var ride = await ArrivedAsync(nurse, null);
        zone.Receiver.Inbox.FailNext(1);
        var page = await nurse.Client.GetStringAsync($"/centre/rides/{ride.Id}/police");
        await nurse.PostAsync($"/centre/rides/{ride.Id}/police", page, new() { ["confirmed"] = "yes" });

        var pending = await Eventually.Value(() => App.Services.GetRequiredService<Police.PoliceRequests>().ForRideAsync(ride.Id, default),
            request => request is { Attempts: > 0 }, "a first delivery attempt of the police request", TimeSpan.FromSeconds(10));
        Assert.Null(pending!.DeliveredAt);
        Assert.Contains("en attente d'envoi", WebUtility.HtmlDecode(await nurse.Client.GetStringAsync("/centre/board")));

        await ReceivedForAsync(ride.BookingCode, TimeSpan.FromSeconds(30));
        Assert.Single(Received, r => r.Body.GetProperty("bookingReference").GetString() == ride.BookingCode);
        Assert.Equal(0, zone.Receiver.Inbox.Repeats);
    }

    /// <summary>A ride booked and marked arrived at the centre by this nurse.</summary>
    private async Task<Ride> ArrivedAsync(Staff nurse, string? code)
    {
        var ride = code is null
            ? await App.RideWhen(await App.BookRide(), r => r.Status >= RideStatus.Booked)
            : (await App.Services.GetRequiredService<RideStore>().FindArrivingByCodeAsync(code, default))!;
        await App.RideWhen(ride.Id, r => r.Status >= RideStatus.Booked);
        var arrived = await nurse.PostAsync("/centre/arrivals", await nurse.Client.GetStringAsync("/centre"), new() { ["code"] = ride.BookingCode });
        Assert.Equal(HttpStatusCode.Redirect, arrived.StatusCode);
        return (await App.Ride(ride.Id))!;
    }

    private async Task<police::Alice.PoliceReceiver.Received> ReceivedForAsync(string code, TimeSpan? within = null)
    {
        return (await Eventually.Value(() => Task.FromResult(Received.FirstOrDefault(r => r.Body.GetProperty("bookingReference").GetString() == code)),
            received => received is not null, $"the police zone received a request for {code}", within ?? TimeSpan.FromSeconds(15)))!;
    }

    private async Task AssertNothingSentAsync(Ride ride)
    {
        await App.Services.GetRequiredService<Police.PoliceNotifier>().RunAsync(default); // a delivery round, now, as the job would
        Assert.Null(await App.Services.GetRequiredService<Police.PoliceRequests>().ForRideAsync(ride.Id, default));
        Assert.DoesNotContain(Received, r => r.Body.GetProperty("bookingReference").GetString() == ride.BookingCode);
    }
}
