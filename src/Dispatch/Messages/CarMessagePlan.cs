using Alice.Dispatch.Rides;

namespace Alice.Dispatch.Messages;

/// <summary>What to do with a consent now.</summary>
internal enum CarMessageStep
{
    /// <summary>Nothing yet: no partner holds the booking, the car is still unknown, or a failed try is pausing.</summary>
    Wait,
    /// <summary>Text the ride as it stands (the booking, and the car when known).</summary>
    Send,
    /// <summary>The number can serve no more: erase it.</summary>
    Erase,
}

/// <summary>
/// When the caller is texted and when their number goes, decided on a given time (tested table by
/// table). A message goes once a partner holds the booking, with the ETA and the code, and the car when
/// the partner has named it; a message without the car keeps the number for the one that names it,
/// and a rebooking (a new booking, so a new car) is texted as a change. The number is erased right after
/// the message naming the car, and whenever the ride no longer needs it, or after two hours at most.
/// </summary>
internal static class CarMessagePlan
{
    /// <summary>The ride can use no text: the passenger is on board or at the centre, a person has it, or the ride is gone.</summary>
    public static bool IsOver(Ride? ride) =>
        ride is null || ride.Status is RideStatus.OnBoard or RideStatus.DroppedOff or RideStatus.NeedsPerson;

    /// <param name="confirmed">Whether the caller may be told the taxi is confirmed (<see cref="Partners.Confirmation"/>).</param>
    public static CarMessageStep Next(SmsConsent consent, Ride? ride, bool confirmed, DateTimeOffset now)
    {
        if (now >= consent.ExpiresAt || IsOver(ride)) return CarMessageStep.Erase;
        // Waiting for a partner, at first or again after the partner gave the booking up, or for a dispatcher
        // to accept a booking offered on a console partner's page.
        if (!confirmed) return CarMessageStep.Wait;
        if (consent.NextAttemptAt > now) return CarMessageStep.Wait;
        return !IsTexted(consent, ride!) || ride!.Vehicle is not null ? CarMessageStep.Send : CarMessageStep.Wait;
    }

    /// <summary>A message was already sent about this very booking.</summary>
    public static bool IsTexted(SmsConsent consent, Ride ride) => consent.TextedGeneration == ride.KeyGeneration;

    /// <summary>The caller was texted about an earlier booking, which a partner gave up: this message is about another taxi.</summary>
    public static bool IsChange(SmsConsent consent, Ride ride) => consent.TextedGeneration is not null && !IsTexted(consent, ride);

    /// <summary>After a message naming the car, the number has served.</summary>
    public static bool HasServed(Ride ride) => ride.Vehicle is not null;
}
