using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Alice.Dispatch.Centre;
using Alice.Dispatch.Rides;
using Alice.Dispatch.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Alice.Dispatch.Tests;

/// <summary>
/// Promise 2 as the caller on the line lives it while partners fail: a confirmed taxi is announced, and no
/// failing partner keeps them waiting past its budget or the hand-over to a person. (A class of its own
/// beside <see cref="PartnerResilienceTests"/>: each test waits seconds in real time, and two classes run side by side.)
/// </summary>
public class PartnerFailureCallerTests
{
    [Fact]
    public async Task When_every_partner_is_down_a_person_takes_over_in_time_with_an_alert_and_the_caller_is_bridged()
    {
        // Seven seconds: long enough for the caller's second waiting round (four seconds of hold tone after the
        // code, the wait counted from the whole second the ride was made), short enough for a test.
        await using var fleet = await Fleet.StartAsync(partners: 2, budgetPerPartnerSeconds: 1, handOverAfterSeconds: 7);
        foreach (var partner in fleet.Partners) partner.Faults.Set(new() { DownUntil = DateTimeOffset.UtcNow.AddMinutes(5) });

        var call = fleet.App.Call();
        call.PauseScale = 1; // the caller waits on the line in real time
        var started = DateTime.UtcNow;
        await call.PlayAsync("-1");
        var handedOverAfter = DateTime.UtcNow - started;

        var ride = (await fleet.App.RidesInDatabase()).Single(r => r.BookingCode == call.CodeHeard());
        Assert.Equal(RideStatus.NeedsPerson.ToText(), ride.Status);
        Assert.Contains(ride.Id, (await fleet.App.Services.GetRequiredService<AlertStore>().OpenAlertsAsync(CancellationToken.None)).Select(a => a.RideId));
        Assert.Contains(call.Transcript, l => l.Text.StartsWith("Le taxi n'est pas encore confirmé"));
        Assert.Contains(call.Transcript, l => l.Text.StartsWith($"bridged to {DispatchApp.AlmaHumanLine} with caller ID {DispatchApp.AlmaHotline}"));
        Assert.Contains(call.Transcript, l => l.Text == "hold tone"); // never silence while waiting
        Assert.True(handedOverAfter < TimeSpan.FromSeconds(7 + 6), $"bridged after {handedOverAfter}");
        Assert.All(fleet.Partners, p => Assert.Empty(p.Bookings));
    }

    [Fact]
    public async Task A_partner_slow_to_fail_does_not_delay_the_hand_over()
    {
        // Each attempt fails after 3.5 s: one run's four attempts would take some 14 s.
        await using var fleet = await Fleet.StartAsync(partners: 1, handOverAfterSeconds: 4, attemptTimeoutSeconds: 4);
        fleet.Partners[0].Faults.Set(new() { FailNext = 1000, LatencyMs = 3500 });

        var started = DateTimeOffset.UtcNow;
        var ride = await fleet.App.RideWhen(await fleet.App.BookRide(), r => r.Status == RideStatus.NeedsPerson, within: TimeSpan.FromSeconds(30));

        Assert.True(DateTimeOffset.UtcNow - started < TimeSpan.FromSeconds(4 + 2.5), $"handed over after {DateTimeOffset.UtcNow - started}");
        Assert.Equal(RideStatus.NeedsPerson, ride.Status);
    }

    [Fact]
    public async Task A_caller_who_stays_on_the_line_hears_the_eta_once_the_partner_confirms()
    {
        await using var fleet = await Fleet.StartAsync(partners: 1);
        fleet.Partners[0].Faults.Set(new() { FailNext = 4 });
        var call = fleet.App.Call();
        await call.PlayAsync("-2");

        var ride = (await fleet.App.RidesInDatabase()).Single(r => r.BookingCode == call.CodeHeard());
        var booking = fleet.Partners[0].Bookings.Single(b => b.Reference == call.CodeHeard());
        Assert.Contains(call.Transcript, l => l.Text == "Votre taxi est confirmé.");
        Assert.Contains(call.Transcript, l => l.Text == $"Il arrive dans environ {booking.EtaMinutes} minutes.");
        Assert.Equal("booked", ride.Status);
        Assert.True(call.Ended);
    }

    [Fact]
    public async Task A_partner_that_accepts_connections_and_never_answers_holds_the_caller_no_longer_than_its_budget()
    {
        // A partner whose server takes the connection and then says nothing, ever.
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var held = new ConcurrentBag<TcpClient>();
        var accepting = Task.Run(async () =>
        {
            try { while (true) held.Add(await silent.AcceptTcpClientAsync()); }
            catch (SocketException) { } // the listener stopped at the end of the test
            catch (ObjectDisposedException) { }
        });
        await using var fleet = await Fleet.StartAsync(partners: 2);
        const double budget = 2;
        await using var app = new DispatchApp(fleet.Partners, settings: new()
        {
            ["Partners:Providers:0:BaseUrl"] = $"http://127.0.0.1:{((IPEndPoint)silent.LocalEndpoint).Port}",
            ["Partners:BudgetPerPartnerSeconds"] = "2",
            ["Partners:AttemptTimeoutSeconds"] = "1",
        });

        var call = app.Call();
        var started = DateTime.UtcNow;
        await call.PlayAsync("-1");
        var confirmedAfter = DateTime.UtcNow - started;

        var ride = (await app.RidesInDatabase()).Single(r => r.BookingCode == call.CodeHeard());
        Assert.Equal("second", (await app.Ride(ride.Id))!.Partner);
        Assert.Contains(call.Transcript, l => l.Text == "Votre taxi est confirmé.");
        Assert.NotEmpty(held); // the silent partner was asked, and held the connection
        Figures.Write("A partner that accepts connections and never answers", ["partner", "connections held", "answers", "budget", "caller heard the taxi confirmed after"],
            [["silent, then second", held.Count, 0, TimeSpan.FromSeconds(budget), confirmedAfter]]);
        // Never handed to a person: the silent partner's attempts ended within their bound, and the second
        // partner confirmed long before the hand-over deadline (Partners:HandOverAfterSeconds).
        Assert.DoesNotContain(call.Transcript, l => l.Text.StartsWith("Le taxi n'est pas encore confirmé"));
        Assert.True(confirmedAfter < TimeSpan.FromSeconds(20), $"confirmed after {confirmedAfter}");
        silent.Stop();
        await accepting;
        foreach (var client in held) client.Dispose();
    }
}
