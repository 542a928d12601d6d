using System.Net;
using System.Net.Http.Json;
using Alice.Dispatch.Campuses;
using Alice.Dispatch.Messages;
using Alice.Dispatch.Retention;
using Alice.Dispatch.Rides;
using Alice.Dispatch.Storage;
using Alice.Dispatch.Tests.Support;
using Alice.Dispatch.Twilio;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Alice.Dispatch.Tests;

/// <summary>
/// The car messages on a fake clock, over a real service's database and a real Twilio simulator: an
/// unsent number erased after two hours, Twilio faults tried again, numbers that can never be texted
/// erased at once.
/// </summary>
public class SmsConsentClockTests
{
    private const string CallerNumber = "+32475123987";
    private static readonly DateTimeOffset T0 = new(2026, 12, 1, 3, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task A_number_never_texted_is_erased_two_hours_after_the_key_press()
    {
        await using var setup = await Setup.StartAsync();
        setup.Partner.Faults.Set(new() { DownUntil = DateTimeOffset.UtcNow.AddMinutes(5) }); // no partner confirms
        var ride = (await setup.App.Ride(await setup.App.BookRide()))!;
        Assert.Equal(ConsentResult.Held, await setup.Consents.HoldAsync(ride, CallerNumber, default));

        await setup.RunAsync(TimeSpan.FromMinutes(119));
        Assert.Single(await SmsConsentTests.Consents(setup.App));
        await setup.RunAsync(TimeSpan.FromMinutes(1));
        Assert.Empty(await SmsConsentTests.Consents(setup.App));
        Assert.Empty(setup.Twilio.Outbox.All);
    }

    [Fact]
    public async Task A_twilio_fault_is_tried_again_until_the_car_is_texted_once()
    {
        await using var setup = await Setup.StartAsync();
        var ride = await setup.AcceptedRideAsync();
        Assert.Equal(ConsentResult.Held, await setup.Consents.HoldAsync(ride, CallerNumber, default));
        using var faults = await new HttpClient().PostAsJsonAsync(setup.Twilio.BaseUrl + "/faults", new { failNext = 2 });
        Assert.Equal(HttpStatusCode.NoContent, faults.StatusCode);

        await setup.RunAsync(TimeSpan.Zero);                // fails: tried again in 5 s
        await setup.RunAsync(TimeSpan.FromSeconds(3));      // still pausing
        await setup.RunAsync(TimeSpan.FromSeconds(2));      // fails again: 10 s
        Assert.Empty(setup.Twilio.Outbox.All);
        Assert.Single(await SmsConsentTests.Consents(setup.App));
        await setup.RunAsync(TimeSpan.FromSeconds(10));     // sent, and the number erased
        await setup.RunAsync(TimeSpan.FromMinutes(1));

        var sms = Assert.Single(setup.Twilio.Outbox.All);
        Assert.Equal((CallerNumber, DispatchApp.AlmaHotline), (sms.To, sms.From));
        Assert.Contains("White Toyota Prius, 1-ABC-234", sms.Text);
        Assert.Empty(await SmsConsentTests.Consents(setup.App));
    }

    [Fact]
    public async Task A_number_twilio_will_not_text_is_erased_at_once()
    {
        await using var setup = await Setup.StartAsync(twilioAnswers: HttpStatusCode.BadRequest);
        var ride = await setup.AcceptedRideAsync();
        Assert.Equal(ConsentResult.Held, await setup.Consents.HoldAsync(ride, CallerNumber, default));

        await setup.RunAsync(TimeSpan.Zero);

        Assert.Empty(await SmsConsentTests.Consents(setup.App));
    }

    [Fact]
    public async Task A_number_the_key_ring_cannot_read_is_erased_at_once()
    {
        await using var setup = await Setup.StartAsync();
        var ride = await setup.AcceptedRideAsync();
        await using (var connection = setup.App.Database.Open())
            await Dapper.SqlMapper.ExecuteAsync(connection, "INSERT INTO sms_consents (ride_id, number_protected, expires_at) VALUES (@id, 'not-protected-by-this-ring', @at);",
                new { id = ride.Id, at = (T0 + SmsConsents.MaxHold).ToUnixTimeSeconds() });

        await setup.RunAsync(TimeSpan.Zero);

        Assert.Empty(await SmsConsentTests.Consents(setup.App));
        Assert.Empty(setup.Twilio.Outbox.All);
    }

    [Fact]
    public async Task A_ride_handed_to_a_person_holds_no_number()
    {
        await using var setup = await Setup.StartAsync();
        var ride = (await setup.App.Ride(await setup.App.BookRide()))! with { Status = RideStatus.NeedsPerson };
        Assert.Equal(ConsentResult.TooLate, await setup.Consents.HoldAsync(ride, CallerNumber, default));
        Assert.Equal(ConsentResult.NoNumber, await setup.Consents.HoldAsync(ride with { Status = RideStatus.Requested }, "Anonymous", default));
        Assert.Empty(await SmsConsentTests.Consents(setup.App));
    }

    /// <summary>A service whose own car message job stays quiet, and the consents and sender on a fake clock over its database.</summary>
    private sealed class Setup : IAsyncDisposable
    {
        public required TwilioSimulatorHost Twilio { get; init; }
        public required PartnerSimulatorHost Partner { get; init; }
        public required DispatchApp App { get; init; }
        public FakeTimeProvider Clock { get; } = new(T0);
        public SmsConsents Consents { get; private set; } = null!;
        public CarMessenger Messenger { get; private set; } = null!;

        /// <param name="twilioAnswers">Twilio's answer to every message, in place of the simulator's.</param>
        public static async Task<Setup> StartAsync(HttpStatusCode? twilioAnswers = null)
        {
            var twilio = await TwilioSimulatorHost.StartAsync();
            var partner = new PartnerSimulatorHost();
            await partner.InitializeAsync();
            // The service's own job looks once at start, then not for a minute: the test drives its own.
            var app = new DispatchApp(partner, settings: new(twilio.Settings) { ["Messages:SendEverySeconds"] = "60" });
            var setup = new Setup { Twilio = twilio, Partner = partner, App = app };
            var services = app.Services;
            setup.Consents = new SmsConsents(services.GetRequiredService<Database>(), services.GetRequiredService<IDataProtectionProvider>(), setup.Clock);
            var rest = twilioAnswers is { } status
                ? new TwilioRest(new HttpClient(new Answering(status)), services.GetRequiredService<IOptions<TwilioOptions>>())
                : services.GetRequiredService<TwilioRest>();
            setup.Messenger = new CarMessenger(setup.Consents, services.GetRequiredService<RideStore>(), services.GetRequiredService<CampusDirectory>(),
                rest, services.GetRequiredService<TwilioRecords>(), services.GetRequiredService<IOptions<Partners.PartnerOptions>>(), setup.Clock, NullLogger<CarMessenger>.Instance);
            return setup;
        }

        /// <summary>A ride the partner booked and whose car it named.</summary>
        public async Task<Ride> AcceptedRideAsync()
        {
            var ride = await App.RideWhen(await App.BookRide(), r => r.Status == RideStatus.Booked);
            var accepted = new
            {
                eventId = Guid.NewGuid().ToString(), bookingId = ride.PartnerBookingId, reference = ride.BookingCode, type = "accepted",
                etaMinutes = 6, vehicle = new { description = "White Toyota Prius", plate = "1-ABC-234" }, at = DateTimeOffset.UtcNow,
            };
            Assert.Equal(HttpStatusCode.OK, (await App.PostPartnerEvent(Partner.Name, accepted)).StatusCode);
            return await App.RideWhen(ride.Id, r => r.Vehicle is not null);
        }

        /// <summary>Moves the fake clock on, then lets the sender look once, as its job would.</summary>
        public async Task RunAsync(TimeSpan after)
        {
            Clock.Advance(after);
            await Messenger.RunAsync(default);
        }

        public async ValueTask DisposeAsync()
        {
            await App.DisposeAsync();
            await Partner.DisposeAsync();
            await Twilio.DisposeAsync();
        }
    }

    /// <summary>Twilio answering every request with one status, as it does for a number it will never text (400).</summary>
    private sealed class Answering(HttpStatusCode status) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct) =>
            Task.FromResult(new HttpResponseMessage(status) { Content = new StringContent("""{"code":21614,"status":400}""") });
    }
}
