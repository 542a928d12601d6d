using System.Collections.Concurrent;
using System.Net;
using Alice.Accounts;
using Alice.Dispatch.Booking;
using Alice.Dispatch.Partners;
using Alice.Dispatch.Rides;
using Alice.Dispatch.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Alice.Dispatch.Tests;

/// <summary>
/// The passenger reaches the centre before the taxi (a friend drove them, they walked): the centre marks the
/// arrival whatever the ride's state, the taxi is called off at its partner with exactly one cancel, and the
/// ride ends as arrived. Every cancel the service sends is counted on its way out.
/// </summary>
public class ArrivalDuringBookingTests
{
    [Fact]
    public async Task Arrival_while_a_partner_holds_the_booking_ends_the_ride_as_arrived_and_the_partner_gets_exactly_one_cancel()
    {
        await using var partner = new PartnerSimulatorHost();
        await partner.InitializeAsync();
        var cancels = new CancelsSent();
        await using var app = new DispatchApp(partner) { Replacing = cancels.Count };
        using var nurse = await Staff.LoggedInAsync(app, Roles.Centre);
        var ride = await app.RideWhen(await app.BookRide(), r => r.Status == RideStatus.Booked);
        var sweep = await JobRuns.WatchAsync(app, BookingSweepJob.Key);

        var arrived = await nurse.PostAsync("/centre/arrivals", await nurse.Client.GetStringAsync("/centre"), new() { ["code"] = ride.BookingCode });

        Assert.Equal(HttpStatusCode.Redirect, arrived.StatusCode);
        await sweep.RunUntilAsync(() => partner.Bookings.Single(b => b.BookingId == ride.PartnerBookingId).Cancelled, "the partner's booking is cancelled");
        await QuietAsync(sweep);
        Assert.Equal(1, cancels.Of(ride.PartnerBookingId!));
        var now = (await app.Ride(ride.Id))!;
        Assert.Equal(RideStatus.DroppedOff, now.Status);
        Assert.NotNull(now.EndedAt);
        Assert.Contains($"taxi annulé chez {partner.Name}", WebUtility.HtmlDecode(await nurse.Client.GetStringAsync("/centre/board")));
    }

    [Fact]
    public async Task Arrival_while_the_ride_is_still_being_booked_ends_it_as_arrived_and_the_late_booking_gets_exactly_one_cancel()
    {
        await using var partner = new PartnerSimulatorHost();
        await partner.InitializeAsync();
        // The partner takes 2 s to answer (within the attempt's time): the passenger is at the desk meanwhile.
        partner.Faults.Set(new() { LatencyMs = 2000 });
        var cancels = new CancelsSent();
        await using var app = new DispatchApp(partner) { Replacing = cancels.Count };
        using var nurse = await Staff.LoggedInAsync(app, Roles.Centre);
        var ride = (await app.Ride(await app.BookRide()))!;
        Assert.Equal(RideStatus.Requested, ride.Status);
        var sweep = await JobRuns.WatchAsync(app, BookingSweepJob.Key);

        var arrived = await nurse.PostAsync("/centre/arrivals", await nurse.Client.GetStringAsync("/centre"), new() { ["code"] = ride.BookingCode });

        Assert.Equal(HttpStatusCode.Redirect, arrived.StatusCode);
        var late = await partner.BookingFor(ride.BookingCode);
        await sweep.RunUntilAsync(() => partner.Bookings.Single(b => b.BookingId == late.BookingId).Cancelled, "the booking the partner made meanwhile is cancelled");
        await QuietAsync(sweep);
        Assert.Equal(1, cancels.Of(late.BookingId));
        Assert.Equal(1, partner.Bookings.Count(b => b.Reference == ride.BookingCode)); // and no other was asked for
        var now = (await app.Ride(ride.Id))!;
        Assert.Equal(RideStatus.DroppedOff, now.Status);
        Assert.Null(now.PartnerBookingId); // never taken: the answer came after the arrival
        Assert.Contains("arrivé·e pendant la réservation", WebUtility.HtmlDecode(await nurse.Client.GetStringAsync("/centre/board")));
    }

    /// <summary>Two whole runs of the booking sweep after the cancel: one that could have asked again, and one after it.</summary>
    private static async Task QuietAsync(JobRuns sweep)
    {
        await sweep.RunNowAsync();
        await sweep.RunNowAsync();
    }

    /// <summary>Counts each cancel request the service sends a partner, by booking id, as it leaves.</summary>
    private sealed class CancelsSent
    {
        private readonly ConcurrentDictionary<string, int> _sent = new();

        public int Of(string bookingId) => _sent.GetValueOrDefault(bookingId);

        public void Count(IServiceCollection services) =>
            services.AddHttpClient(PartnerClient.HttpClientName).AddHttpMessageHandler(() => new Counting(this));

        private sealed class Counting(CancelsSent sent) : DelegatingHandler
        {
            protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
            {
                var segments = request.RequestUri!.AbsolutePath.Split('/');
                if (segments is [.., "bookings", var id, "cancel"]) sent._sent.AddOrUpdate(Uri.UnescapeDataString(id), 1, (_, n) => n + 1);
                return base.SendAsync(request, ct);
            }
        }
    }
}
