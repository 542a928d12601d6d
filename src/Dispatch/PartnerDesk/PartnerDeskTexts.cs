using Alice.Web;
using Alice.Dispatch.Rides;

namespace Alice.Dispatch.PartnerDesk;

/// <summary>The partner page's words, in French, Dutch and English.</summary>
internal static class PartnerDeskTexts
{
    public static readonly Text Title = new("Réservations Alice", "Alice-ritten", "Alice bookings");
    public static readonly Text Open = new("Réservations ouvertes", "Openstaande ritten", "Open bookings");
    public static readonly Text None = new("Aucune réservation pour le moment.", "Momenteel geen ritten.", "No bookings at the moment.");
    public static readonly Text Code = new("Code (le chauffeur le montre)", "Code (de chauffeur toont hem)", "Code (the driver shows it)");
    public static readonly Text Pickup = new("Départ", "Vertrek", "Pickup");
    public static readonly Text Instructions = new("Pour le chauffeur", "Voor de chauffeur", "For the driver");
    public static readonly Text Destination = new("Destination", "Bestemming", "Drop-off point");
    public static readonly Text Requested = new("Demandé à", "Gevraagd om", "Requested at");
    public static readonly Text Status = new("État", "Status", "Status");
    public static readonly Text Eta = new("Arrivée au départ dans (minutes)", "Aankomst bij vertrek over (minuten)", "At the pickup in (minutes)");
    public static readonly Text Car = new("Voiture (marque, modèle, couleur)", "Wagen (merk, model, kleur)", "Car (make, model, colour)");
    public static readonly Text Plate = new("Plaque", "Nummerplaat", "Plate");
    public static readonly Text Actions = new("Que faire", "Wat te doen", "Actions");
    public static readonly Text Accept = new("Accepter", "Aanvaarden", "Accept");
    public static readonly Text Arrived = new("Chauffeur arrivé", "Chauffeur aangekomen", "Driver arrived");
    public static readonly Text OnBoard = new("Passager à bord", "Passagier aan boord", "Passenger on board");
    public static readonly Text DroppedOff = new("Déposé au centre", "Afgezet bij het centrum", "Dropped off");
    public static readonly Text CannotServe = new("Impossible d'assurer", "Kunnen we niet rijden", "Cannot serve");
    public static readonly Text Live = new("à jour", "bijgewerkt", "up to date");
    public static readonly Text Stale = new("hors ligne — la liste n'est peut-être plus à jour", "offline — de lijst is misschien niet meer actueel", "offline — the list may be out of date");
    public static readonly Text SoundOn = new("Son activé", "Geluid aan", "Sound on");
    public static readonly Text SoundOff = new("Activer le son", "Geluid aanzetten", "Turn sound on");
    public static readonly Text NewBooking = new("Nouvelle réservation : {0}", "Nieuwe rit: {0}", "New booking: {0}");
    public static readonly Text Done = new("Enregistré.", "Opgeslagen.", "Saved.");
    public static readonly Text NotYours = new(
        "Cette réservation n'est plus chez vous (déjà terminée, ou passée à un autre partenaire).",
        "Deze rit is niet meer bij u (al afgerond, of naar een andere partner).",
        "This booking is no longer yours (already over, or moved to another partner).");
    public static readonly Text NoPartner = new(
        "Ce compte ne travaille pour aucun partenaire sur cette page.", "Dit account werkt voor geen enkele partner op deze pagina.",
        "This account works for no partner on this page.");
    public static readonly Text BadAccept = new(
        "Pour accepter : les minutes jusqu'au départ (0 à 180), et la voiture et la plaque en lettres et chiffres simples.",
        "Om te aanvaarden: de minuten tot het vertrek (0 tot 180), en de wagen en de nummerplaat in gewone letters en cijfers.",
        "To accept: the minutes until the pickup (0 to 180), and the car and plate in plain letters and digits.");

    public static Text Of(RideStatus status) => status switch
    {
        RideStatus.Booked => new("Nouvelle — à accepter", "Nieuw — te aanvaarden", "New — to accept"),
        RideStatus.Accepted => new("Acceptée", "Aanvaard", "Accepted"),
        RideStatus.DriverArrived => new("Chauffeur au départ", "Chauffeur bij vertrek", "Driver at the pickup"),
        _ => new("Passager à bord", "Passagier aan boord", "Passenger on board"),
    };
}
