using Alice.Web;
using Alice.Dispatch.Rides;

namespace Alice.Dispatch.Centre;

/// <summary>The console's words, in French, Dutch and English.</summary>
internal static class CentreTexts
{
    public static readonly Text AccountChanges = new("Comptes modifiés ces 7 derniers jours", "Accounts gewijzigd in de laatste 7 dagen", "Account changes in the last 7 days");
    public static readonly Text By = new("par", "door", "by");
    public static readonly Text AccountInvited = new("invité", "uitgenodigd", "invited");
    public static readonly Text AccountEnrolled = new("activé", "geactiveerd", "enrolled");
    public static readonly Text AccountReset = new("second facteur réinitialisé", "tweede factor gereset", "second factor reset");
    public static readonly Text AccountDisabled = new("désactivé", "uitgeschakeld", "disabled");
    public static readonly Text Title = new("Trajets vers le centre", "Ritten naar het centrum", "Rides to the centre");
    public static readonly Text Alerts = new("Une personne doit agir", "Iemand moet ingrijpen", "A person must act");
    public static readonly Text NoAlerts = new("Aucune alerte.", "Geen meldingen.", "No alerts.");
    public static readonly Text Coming = new("En route", "Onderweg", "Coming");
    public static readonly Text NoRides = new("Aucun trajet en cours.", "Geen lopende ritten.", "No rides under way.");
    public static readonly Text Code = new("Code", "Code", "Code");
    public static readonly Text Pickup = new("Départ", "Vertrek", "Pickup");
    public static readonly Text Status = new("État", "Status", "Status");
    public static readonly Text Eta = new("Attendu", "Verwacht", "Expected");
    public static readonly Text Car = new("Voiture", "Wagen", "Car");
    public static readonly Text Since = new("Depuis la réservation", "Sinds de boeking", "Since booking");
    public static readonly Text Minutes = new("min", "min", "min");
    public static readonly Text Acknowledge = new("Je m'en occupe", "Ik neem het over", "I am on it");
    public static readonly Text Resolve = new("Résolu", "Opgelost", "Resolved");
    public static readonly Text AcknowledgedBy = new("Pris en charge par", "Overgenomen door", "Taken by");
    public static readonly Text NeedsPerson = new(
        "Aucun taxi n'a confirmé : organisez le trajet, l'appelant·e a été mis·e en relation avec une personne.",
        "Geen taxi heeft bevestigd: regel de rit; de beller werd doorverbonden met een medewerker.",
        "No taxi confirmed: arrange the ride; the caller was put through to a person.");
    public static readonly Text PickupLate = new(
        "Le taxi n'est pas arrivé au départ à l'heure prévue : vérifiez auprès du partenaire.",
        "De taxi is niet op tijd bij het vertrekpunt: kijk het na bij de partner.",
        "The taxi is late at the pickup point: check with the partner.");
    public static readonly Text Written = new(
        "Quelqu'un demande une personne par SMS : répondez-lui ici, par écrit (le service relaie, sans vous montrer le numéro).",
        "Iemand vraagt per sms een persoon: antwoord hier, schriftelijk (de dienst stuurt het door, zonder u het nummer te tonen).",
        "Someone texting asks for a person: answer here, in writing (the service relays it, without showing you the number).");
    public static readonly Text WrittenOver = new(
        "Quelqu'un a demandé une personne par SMS, mais la conversation est terminée : le numéro a été effacé, aucune réponse ne peut plus lui parvenir.",
        "Iemand vroeg per sms een persoon, maar het gesprek is voorbij: het nummer is gewist, geen antwoord kan die persoon nog bereiken.",
        "Someone texting asked for a person, but the conversation is over: the number was erased, no answer can reach them any more.");
    public static Text Of(AlertKind kind) => kind switch { AlertKind.PickupLate => PickupLate, AlertKind.Written => Written, _ => NeedsPerson };
    public static readonly Text Answer = new("Réponse par SMS", "Antwoord per sms", "Answer by text");
    public static readonly Text Send = new("Envoyer", "Versturen", "Send");
    public static readonly Text Answered = new("Réponse envoyée.", "Antwoord verstuurd.", "Answer sent.");
    public static readonly Text AnswerEmpty = new(
        "Écrivez une réponse de 1 à 600 caractères.", "Schrijf een antwoord van 1 tot 600 tekens.", "Write an answer of 1 to 600 characters.");
    public static readonly Text ConversationOver = new(
        "Cette conversation est terminée : le numéro a été effacé, la réponse ne peut plus être envoyée.",
        "Dit gesprek is voorbij: het nummer is gewist, het antwoord kan niet meer verstuurd worden.",
        "This conversation is over: the number was erased, the answer can no longer be sent.");
    public static readonly Text NotSent = new(
        "La réponse n'a pas pu être envoyée (Twilio) : réessayez.", "Het antwoord kon niet verstuurd worden (Twilio): probeer opnieuw.",
        "The answer could not be sent (Twilio): try again.");
    public static readonly Text Arrival = new("Arrivée au centre", "Aankomst in het centrum", "Arrival at the centre");
    public static readonly Text ArrivalHelp = new(
        "Le code à 4 chiffres que la personne donne en arrivant.", "De code van 4 cijfers die de persoon bij aankomst geeft.",
        "The 4-digit code the person gives on arrival.");
    public static readonly Text MarkArrived = new("Marquer arrivé·e", "Aangekomen", "Mark arrived");
    public static readonly Text Arrived = new("Arrivée enregistrée pour le code", "Aankomst geregistreerd voor code", "Arrival recorded for code");
    public static readonly Text UnknownCode = new(
        "Aucun trajet en cours n'a ce code. Vérifiez les chiffres.", "Geen lopende rit heeft deze code. Controleer de cijfers.",
        "No ride under way has this code. Check the digits.");
    public static readonly Text ChangedMeanwhile = new(
        "Ce trajet vient de changer : réessayez.", "Deze rit is net gewijzigd: probeer opnieuw.", "This ride changed just now: try again.");
    public static readonly Text AlreadyArrived = new(
        "Le code {0} est déjà arrivé au centre, {1}.", "Code {0} is al aangekomen in het centrum, {1}.", "Code {0} has already arrived at the centre, {1}.");
    public static readonly Text HourSpan = new("entre {0} et {1}", "tussen {0} en {1}", "between {0} and {1}");

    /// <summary>A time kept to the hour, said as the hour it falls in (Brussels time): what is shown once is never shown finer, nor coarser later.</summary>
    public static string Hour(DateTimeOffset at, string language)
    {
        var local = Alice.Totals.Week.InBrussels(at);
        var start = local.AddMinutes(-local.Minute).AddSeconds(-local.Second);
        return string.Format(HourSpan.In(language), start.ToString("HH:mm"), start.AddHours(1).ToString("HH:mm"));
    }

    public static readonly Text EtaPickup = new("prise en charge vers {0} (dans {1})", "ophaling rond {0} (over {1})", "pickup about {0} (in {1})");
    public static readonly Text EtaCentre = new("au centre vers {0} (dans {1})", "in het centrum rond {0} (over {1})", "at the centre about {0} (in {1})");
    public static readonly Text ArrivedAt = new("Arrivé·e", "Aangekomen", "Arrived");
    public static readonly Text BookingStopped = new(
        "arrivé·e pendant la réservation : la réservation a été arrêtée", "aangekomen tijdens de boeking: de boeking werd stopgezet",
        "arrived while being booked: the booking was stopped");
    public static readonly Text TaxiBeingCalledOff = new("taxi en cours d'annulation chez {0}", "taxi wordt geannuleerd bij {0}", "calling the taxi off at {0}");
    public static readonly Text TaxiCalledOff = new("taxi annulé chez {0}", "taxi geannuleerd bij {0}", "taxi called off at {0}");
    public static readonly Text CallHumanLine = new(
        "À appeler : {0} (la ligne humaine où l'appel a été transféré)", "Te bellen: {0} (de menselijke lijn waarnaar de oproep werd doorverbonden)",
        "Call: {0} (the human line the call was put through to)");
    public static readonly Text Address = new("Adresse : {0}", "Adres: {0}", "Address: {0}");
    public static readonly Text AlertGone = new(
        "Cette alerte a déjà été traitée.", "Deze melding werd al behandeld.", "This alert has already been handled.");
    public static readonly Text Arrived24h = new("Arrivé·es (24 dernières heures)", "Aangekomen (laatste 24 uur)", "Arrived (last 24 hours)");
    public static readonly Text NoneArrived = new("Personne n'est arrivé·e.", "Niemand is aangekomen.", "Nobody has arrived.");
    public static readonly Text AskPolice = new("La personne demande la police", "De persoon vraagt de politie", "The person asks for the police");
    public static readonly Text PoliceTitle = new("Prévenir la police ?", "De politie verwittigen?", "Notify the police?");
    public static readonly Text PoliceOnlyIf = new(
        "Seulement si la personne vous le demande elle-même. Rien n'est envoyé sans cela.",
        "Alleen als de persoon het u zelf vraagt. Zonder dat wordt niets verstuurd.",
        "Only if the person asks you themselves. Nothing is sent otherwise.");
    public static readonly Text PoliceWhat = new(
        "Ceci enverra à {0} : la référence {1}, le centre et son contact ({2}). Rien sur la personne. La police rappellera le centre.",
        "Dit stuurt naar {0}: de referentie {1}, het centrum en zijn contact ({2}). Niets over de persoon. De politie belt het centrum terug.",
        "This sends to {0}: the reference {1}, the centre and its contact ({2}). Nothing about the person. The police will call the centre back.");
    public static readonly Text PoliceConfirm = new("La personne me l'a demandé", "De persoon heeft het mij gevraagd", "The person asked me to");
    public static readonly Text PoliceSend = new("Prévenir la police", "Politie verwittigen", "Notify the police");
    public static readonly Text PoliceNotArrived = new(
        "La police ne peut être prévenue que pour une personne arrivée au centre.",
        "De politie kan enkel verwittigd worden voor een persoon die in het centrum is aangekomen.",
        "The police can be notified only for a person who has arrived at the centre.");
    public static readonly Text PoliceAlready = new(
        "La police a déjà été demandée pour ce trajet.", "De politie werd al gevraagd voor deze rit.", "The police have already been asked for this ride.");
    public static readonly Text PoliceUnconfirmed = new(
        "Cochez que la personne vous l'a demandé : rien n'a été envoyé.", "Vink aan dat de persoon het gevraagd heeft: er is niets verstuurd.",
        "Tick that the person asked for it: nothing was sent.");
    public static readonly Text PoliceRequests = new("Demandes à la police", "Vragen aan de politie", "Police requests");
    public static readonly Text Pending = new("en attente d'envoi (nouvel essai automatique)", "wacht op verzending (wordt opnieuw geprobeerd)", "waiting to be sent (tried again by itself)");
    public static readonly Text Delivered = new("reçue par la zone à", "ontvangen door de zone om", "received by the zone at");
    public static readonly Text RequestedBy = new("demandée par", "gevraagd door", "asked by");
    public static readonly Text Back = new("Retour à la console", "Terug naar de console", "Back to the console");
    public static readonly Text SoundOn = new("Son : activé", "Geluid: aan", "Sound: on");
    public static readonly Text SoundOff = new("Son : coupé", "Geluid: uit", "Sound: off");
    public static readonly Text Live = new("Mise à jour automatique", "Werkt vanzelf bij", "Updates by itself");
    public static readonly Text Stale = new(
        "Plus à jour : vérifiez la connexion", "Niet meer bijgewerkt: controleer de verbinding", "Not up to date: check the connection");
    public static readonly Text SoundPrompt = new(
        "Le son est coupé : activez-le pour entendre les nouveaux trajets.", "Het geluid staat uit: zet het aan om nieuwe ritten te horen.",
        "Sound is off: switch it on to hear new rides.");
    public static readonly Text NewRide = new("Nouveau trajet : {0}.", "Nieuwe rit: {0}.", "New ride: {0}.");

    private static readonly Dictionary<RideStatus, Text> Statuses = new()
    {
        [RideStatus.Requested] = new("Réservation en cours", "Wordt gereserveerd", "Being booked"),
        [RideStatus.Booked] = new("Taxi réservé", "Taxi gereserveerd", "Taxi booked"),
        [RideStatus.Accepted] = new("Chauffeur en route", "Chauffeur onderweg", "Driver on the way"),
        [RideStatus.DriverArrived] = new("Chauffeur sur place", "Chauffeur ter plaatse", "Driver at pickup"),
        [RideStatus.OnBoard] = new("À bord, en route", "Aan boord, onderweg", "On board, on the way"),
        [RideStatus.DroppedOff] = new("Arrivé·e", "Aangekomen", "Arrived"),
        [RideStatus.NeedsPerson] = new("Une personne doit agir", "Iemand moet ingrijpen", "Needs a person"),
    };

    public static string Of(RideStatus status, string language) => Statuses[status].In(language);
}
