using System.Security.Cryptography;
using Alice.Dispatch.Campuses;
using Alice.Dispatch.Partners;
using Alice.Dispatch.Retention;
using Alice.Dispatch.Rides;
using Alice.Dispatch.Twilio;
using Microsoft.Extensions.Options;
using Quartz;

namespace Alice.Dispatch.Messages;

/// <summary>
/// Texts the car to the callers who asked for it, from their campus's hotline number, and erases each
/// number as soon as it has served or can serve no more (see <see cref="CarMessagePlan"/>). Twilio down:
/// tried again after a growing pause, until the two hours are up. What was sent is stored with the
/// consent, so a restart or another instance carries on; a crash between sending and recording sends
/// again (twice rather than never). Logs name the ride, never the number.
/// </summary>
internal sealed class CarMessenger(SmsConsents consents, RideStore rides, CampusDirectory campuses, TwilioRest twilio, TwilioRecords records,
    IOptions<PartnerOptions> partners, TimeProvider clock, ILogger<CarMessenger> logger)
{
    public async Task RunAsync(CancellationToken ct)
    {
        var held = await consents.AllAsync(ct);
        if (held.Count == 0) return;
        var byId = (await rides.FindManyAsync(held.Select(c => c.RideId).ToList(), ct)).ToDictionary(r => r.Id);
        var now = clock.GetUtcNow();
        var erased = 0;
        foreach (var consent in held)
        {
            var ride = byId.GetValueOrDefault(consent.RideId);
            switch (CarMessagePlan.Next(consent, ride, ride is not null && ride.IsConfirmed(partners.Value), now))
            {
                case CarMessageStep.Erase:
                    await consents.EraseAsync(consent.RideId, ct);
                    erased++;
                    break;
                // A campus taken out of the configuration has no number to send from: its numbers wait out their two hours.
                case CarMessageStep.Send when campuses.ById(ride!.CampusId) is { } campus:
                    if (await SendAsync(consent, ride, campus.HotlineNumber, now, ct)) erased++;
                    break;
            }
        }
        // Once a look, not once a number: what was erased leaves the database's files now.
        if (erased > 0) await consents.ScrubErasedAsync(ct);
    }

    /// <summary>5, 10, 20, 40 seconds, then a minute between tries.</summary>
    public static TimeSpan Pause(int failures) => RetryPause.Doubling(failures, TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(1));

    /// <summary>Texts the ride as it stands; true when the number was erased.</summary>
    private async Task<bool> SendAsync(SmsConsent consent, Ride ride, string hotline, DateTimeOffset now, CancellationToken ct)
    {
        try
        {
            var sid = await twilio.SendSmsAsync(consents.NumberOf(consent), hotline, CarMessageTexts.For(ride, CarMessagePlan.IsChange(consent, ride)), ct);
            // Twilio's record of the message holds the number: deleted once delivered, as a call's is once ended.
            await records.QueueDeletionAsync(TwilioRecord.Message, sid, ct);
        }
        catch (Exception e) when (e is CryptographicException || e is TwilioRestException { IsRefusedForGood: true })
        {
            // It can never go (a key ring that cannot read the number, a number Twilio will not text): holding
            // the number longer would serve nothing. The type only in the log: nothing of the request.
            logger.LogWarning("The car message for ride {RideId} cannot be sent ({Error}); the number is erased", ride.Id, e.GetType().Name);
            await consents.EraseAsync(ride.Id, ct);
            return true;
        }
        catch (Exception e) when (e is HttpRequestException or TwilioRestException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            logger.LogWarning("The car message for ride {RideId} could not be sent ({Error}); trying again", ride.Id, e.GetType().Name);
            await consents.MarkFailedAsync(ride.Id, now + Pause(consent.Failures + 1), ct);
            return false;
        }
        var served = CarMessagePlan.HasServed(ride);
        if (served) await consents.EraseAsync(ride.Id, ct);
        else await consents.MarkTextedAsync(ride.Id, ride.KeyGeneration, ct);
        logger.LogInformation("Ride {RideId} texted to the caller (number erased: {Erased})", ride.Id, served);
        return served;
    }
}

/// <summary>Every few seconds: confirmed rides are texted to the callers who asked, and numbers that served are erased.</summary>
[DisallowConcurrentExecution]
internal sealed class CarMessageJob(CarMessenger messenger) : IJob
{
    public static readonly JobKey Key = new("car-messages");
    public ValueTask Execute(IJobExecutionContext context, CancellationToken ct) => new(messenger.RunAsync(ct));
}

/// <summary>The car message job (no job data: the numbers stay in their table).</summary>
internal sealed class CarMessages(IOptions<MessagesOptions> options) : RecurringJobSet
{
    public override IEnumerable<(Type, JobKey, TimeSpan)> Jobs => [(typeof(CarMessageJob), CarMessageJob.Key, options.Value.SendEvery)];
}
