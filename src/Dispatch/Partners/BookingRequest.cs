namespace Alice.Dispatch.Partners;

/// <summary>Partner API v1 booking body (Partners/partner-api-v1.md). Nothing about the caller is in it.</summary>
internal sealed record BookingRequest(
    string Reference,
    BookingRequest.PickupPlace Pickup,
    BookingRequest.Place Destination,
    int Passengers,
    string Account,
    DateTimeOffset RequestedAt)
{
    internal sealed record PickupPlace(string Name, string Address, double Lat, double Lng, string Instructions);
    internal sealed record Place(string Name, string Address, double Lat, double Lng);
}

/// <summary>What a partner answers to a booking: its own id and, when it knows, minutes until pickup.</summary>
internal sealed record BookingAnswer(string BookingId, int? EtaMinutes);
