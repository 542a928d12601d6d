using Alice.Dispatch.Rides;
using Alice.Dispatch.Tests.Support;

namespace Alice.Dispatch.Tests;

/// <summary>
/// Partners are remembered by name, not by their place in Partners:Providers: an operator who reorders the
/// list and restarts the service while rides are under way sends none of them to a partner they were not with.
/// </summary>
public class PartnerOrderTests
{
    [Fact]
    public async Task Reordering_the_partners_while_rides_are_under_way_sends_no_ride_to_a_partner_it_was_not_with()
    {
        await using var first = new PartnerSimulatorHost("first");
        await using var second = new PartnerSimulatorHost("second");
        await first.InitializeAsync();
        await second.InitializeAsync();
        var timing = new Dictionary<string, string?>
        {
            ["Partners:BudgetPerPartnerSeconds"] = "60", // long enough that no ride moves on by its budget here
            ["Partners:HandOverAfterSeconds"] = "120",
            ["Partners:AttemptTimeoutSeconds"] = "1",
        };
        var app = new DispatchApp([first, second], settings: timing);
        try
        {
            var booked = await app.RideWhen(await app.BookRide(), r => r.Status == RideStatus.Booked);
            first.Faults.Set(new() { DownUntil = DateTimeOffset.UtcNow.AddMinutes(5) });
            var waiting = await app.RideWhen(await app.BookRide(), r => r is { Status: RideStatus.Requested, TryingPartner: "first" });

            // The operator puts "second" first and restarts.
            app = await app.RestartAsync([second, first], timing);
            // Two booking runs since the restart, with "first" still down: each could have gone to "second".
            await Eventually.True(() => app.Logs.Entries.Count(e => e.Contains($"Ride {waiting.Id} not booked yet with first")) >= 2,
                "two booking runs of the waiting ride since the restart, each trying \"first\"", TimeSpan.FromSeconds(15));

            Assert.DoesNotContain(second.Bookings, b => b.Reference == waiting.BookingCode);
            Assert.Equal("first", (await app.Ride(waiting.Id))!.TryingPartner);
            first.Faults.Set(new());
            var nowBooked = await app.RideWhen(waiting.Id, r => r.Status == RideStatus.Booked);
            Assert.Equal("first", nowBooked.Partner);

            // The ride booked before the restart is still first's: its events are applied, nothing goes to second.
            var arrived = await app.PostPartnerEvent("first", new { eventId = Guid.NewGuid().ToString(), bookingId = booked.PartnerBookingId, type = "driver_arrived" });
            Assert.Equal(System.Net.HttpStatusCode.OK, arrived.StatusCode);
            Assert.Equal(RideStatus.DriverArrived, (await app.Ride(booked.Id))!.Status);
            Assert.Empty(second.Bookings);

            // A new ride goes to the new first choice.
            var fresh = await app.RideWhen(await app.BookRide(), r => r.Status == RideStatus.Booked);
            Assert.Equal("second", fresh.Partner);
        }
        finally
        {
            await app.DisposeAsync();
        }
    }
}
