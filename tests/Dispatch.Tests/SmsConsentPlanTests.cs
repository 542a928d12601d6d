using Alice.Dispatch.Campuses;
using Alice.Dispatch.Messages;
using Alice.Dispatch.Rides;

namespace Alice.Dispatch.Tests;

/// <summary>When a caller who asked for the car by text is texted, and when their number goes: the plan on a given time.</summary>
public class SmsConsentPlanTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 1, 3, 0, 0, TimeSpan.Zero);
    private const string Car = "White Toyota Prius, 1-ABC-234";

    private static Ride Ride(RideStatus status, string? vehicle = null, int generation = 0, int? eta = 8) =>
        new("r", "4821", "alma", "alma-metro", Languages.English, status, "first", "b1", eta, vehicle, "first", new("first"),
            T0, T0, T0 + TimeSpan.FromMinutes(2), generation, T0, null, null, null, false);

    private static SmsConsent Consent(int? texted = null, int heldMinutes = 0, int? retryIn = null) =>
        new("r", "protected", T0 - TimeSpan.FromMinutes(heldMinutes) + SmsConsents.MaxHold, texted, retryIn is null ? 0 : 1,
            retryIn is { } s ? T0 + TimeSpan.FromSeconds(s) : null);

    private static readonly Dictionary<string, (SmsConsent Consent, Ride? Ride, CarMessageStep Step)> Steps = new()
    {
        ["waiting for a partner: nothing to text yet"] = (Consent(), Ride(RideStatus.Requested), CarMessageStep.Wait),
        ["the partner confirmed: the ETA and the code are texted"] = (Consent(), Ride(RideStatus.Booked), CarMessageStep.Send),
        ["texted, the car still unknown: the number waits for it"] = (Consent(texted: 0), Ride(RideStatus.Booked), CarMessageStep.Wait),
        ["the car is named after the first text: texted"] = (Consent(texted: 0), Ride(RideStatus.Accepted, Car), CarMessageStep.Send),
        ["the car is known at the first look: one text"] = (Consent(), Ride(RideStatus.Accepted, Car), CarMessageStep.Send),
        ["the driver is at the pickup, the car not yet texted: texted"] = (Consent(texted: 0), Ride(RideStatus.DriverArrived, Car), CarMessageStep.Send),
        ["the partner gave the booking up: nothing while rebooking"] = (Consent(texted: 0), Ride(RideStatus.Requested, generation: 1), CarMessageStep.Wait),
        ["another partner confirmed after a rebooking: texted again"] = (Consent(texted: 0), Ride(RideStatus.Booked, generation: 1), CarMessageStep.Send),
        ["a failed try waits for its pause"] = (Consent(retryIn: 3), Ride(RideStatus.Booked), CarMessageStep.Wait),
        ["a failed try is tried again after it"] = (Consent(retryIn: 0), Ride(RideStatus.Booked), CarMessageStep.Send),
        ["two hours after the key press, never texted: erased"] = (Consent(heldMinutes: 120), Ride(RideStatus.Requested), CarMessageStep.Erase),
        ["a minute before the two hours: still held"] = (Consent(heldMinutes: 119), Ride(RideStatus.Requested), CarMessageStep.Wait),
        ["two hours up with the car unknown: erased"] = (Consent(texted: 0, heldMinutes: 120), Ride(RideStatus.Booked), CarMessageStep.Erase),
        ["handed to a person: erased"] = (Consent(), Ride(RideStatus.NeedsPerson), CarMessageStep.Erase),
        ["on board: erased"] = (Consent(texted: 0), Ride(RideStatus.OnBoard, Car), CarMessageStep.Erase),
        ["at the centre: erased"] = (Consent(), Ride(RideStatus.DroppedOff, Car), CarMessageStep.Erase),
        ["the ride is gone: erased"] = (Consent(), null, CarMessageStep.Erase),
    };

    public static TheoryData<string> Scenarios => [.. Steps.Keys];

    [Theory]
    [MemberData(nameof(Scenarios))]
    public void What_is_done_with_a_consent(string scenario) =>
        Assert.Equal(Steps[scenario].Step, CarMessagePlan.Next(Steps[scenario].Consent, Steps[scenario].Ride, Steps[scenario].Ride?.Status.HasLiveBooking() ?? false, T0));

    [Fact]
    public void The_text_names_the_car_the_time_and_the_code_and_nothing_of_where_it_goes()
    {
        Assert.Equal("Your taxi is confirmed. Car: White Toyota Prius, 1-ABC-234. Arriving in about 8 min. Code: 4 8 2 1.",
            CarMessageTexts.For(Ride(RideStatus.Accepted, Car), change: false));
        Assert.Equal("Your taxi has changed. Your taxi is confirmed. Code: 4 8 2 1.",
            CarMessageTexts.For(Ride(RideStatus.Booked, eta: null, generation: 1), change: true));
        Assert.Equal("Votre taxi est confirmé. Arrivée dans environ 8 min. Code : 4 8 2 1.",
            CarMessageTexts.For(Ride(RideStatus.Booked) with { Language = Languages.French }, change: false));
        Assert.Equal("Uw taxi is bevestigd. Wagen: White Toyota Prius, 1-ABC-234. Aankomst over ongeveer 8 min. Code: 4 8 2 1.",
            CarMessageTexts.For(Ride(RideStatus.Accepted, Car) with { Language = Languages.Dutch }, change: false));
    }

    [Fact]
    public void A_message_about_an_earlier_booking_makes_the_next_one_a_change()
    {
        Assert.False(CarMessagePlan.IsChange(Consent(), Ride(RideStatus.Booked)));
        Assert.False(CarMessagePlan.IsChange(Consent(texted: 0), Ride(RideStatus.Accepted, Car)));
        Assert.True(CarMessagePlan.IsChange(Consent(texted: 0), Ride(RideStatus.Booked, generation: 1)));
    }

    [Fact]
    public void Failed_tries_are_repeated_after_a_growing_pause_of_at_most_a_minute() =>
        Assert.Equal([5, 10, 20, 40, 60, 60], Enumerable.Range(1, 6).Select(n => (int)CarMessenger.Pause(n).TotalSeconds));
}
