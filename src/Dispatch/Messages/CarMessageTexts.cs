using System.Globalization;
using Alice.Web;
using Alice.Dispatch.Rides;

namespace Alice.Dispatch.Messages;

/// <summary>
/// The text message, in the caller's language. Short, and nothing in it says what the taxi is for or
/// where it goes: it may be read on the phone by someone else.
/// </summary>
internal static class CarMessageTexts
{
    private static readonly Text Changed = new("Changement de taxi.", "Andere taxi.", "Your taxi has changed.");
    private static readonly Text Confirmed = new("Votre taxi est confirmé.", "Uw taxi is bevestigd.", "Your taxi is confirmed.");
    private static readonly Text Car = new("Voiture : {0}.", "Wagen: {0}.", "Car: {0}.");
    private static readonly Text Eta = new("Arrivée dans environ {0} min.", "Aankomst over ongeveer {0} min.", "Arriving in about {0} min.");
    private static readonly Text Code = new("Code : {0}.", "Code: {0}.", "Code: {0}.");

    /// <summary>E.g. "Your taxi is confirmed. Car: White Toyota Prius, 1-ABC-234. Arriving in about 8 min. Code: 4 8 2 1."</summary>
    public static string For(Ride ride, bool change)
    {
        var language = ride.Language.Code;
        var sentences = new List<string>();
        if (change) sentences.Add(Changed.In(language));
        sentences.Add(Confirmed.In(language));
        if (ride.Vehicle is { } vehicle) sentences.Add(Format(Car, language, vehicle));
        if (ride.EtaMinutes is { } eta) sentences.Add(Format(Eta, language, eta));
        sentences.Add(Format(Code, language, string.Join(' ', ride.BookingCode.ToCharArray())));
        return string.Join(' ', sentences);
    }

    private static string Format(Text text, string language, object value) => string.Format(CultureInfo.InvariantCulture, text.In(language), value);
}
