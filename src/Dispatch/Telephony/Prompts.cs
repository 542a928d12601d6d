using Alice.Dispatch.Campuses;
using Alice.Dispatch.Rides;
using Alice.Web;

namespace Alice.Dispatch.Telephony;

/// <summary>
/// The menu's spoken texts, in French, Dutch and English: the same kind of table as the staff pages' texts,
/// so the compiler refuses a prompt missing in one of the three languages. {0}, {1} are filled by <see cref="Format"/>.
/// From the answer to the end of the code a first-time caller hears the welcome, the two language offers, the
/// pickup menu and the code: under 18 s in each language (infra/bench speech; SpeechBudgetTests), so those
/// prompts say only what the caller needs to press, in plain words, the key named before each place.
/// </summary>
internal static class Prompts
{
    public static readonly Text Welcome = new(
        "Alice, taxi gratuit.",
        "Alice, gratis taxi.",
        "Alice, free taxi.");
    public static readonly Text LanguageOffer = new(
        "Français, restez en ligne.",
        "Nederlands, druk 2.",
        "English, press 3.");
    /// <summary>Ends with the verb the options after it share: "Press 1 Alma metro, 2 Saint-Luc hospital, …".</summary>
    public static readonly Text PickupQuestion = new(
        "Où êtes-vous ? Tapez",
        "Waar bent u? Druk",
        "Where are you? Press");
    public static readonly Text PickupOption = new(
        "{1} {0},",
        "{1} {0},",
        "{1} {0},");
    public static readonly Text PersonOption = new(
        "0 ailleurs ou une personne.",
        "0 elders of een persoon.",
        "0 elsewhere or a person.");
    public static readonly Text NotUnderstood = new(
        "Je n'ai pas compris. Je répète.",
        "Ik heb u niet begrepen. Ik herhaal.",
        "Sorry, I did not get that. Here are the choices again.");
    public static readonly Text YourCode = new(
        "Votre code est :",
        "Uw code is:",
        "Your code is:");
    public static readonly Text Booking = new(
        "Je réserve un taxi gratuit depuis {0}, jusqu'au centre de prise en charge des violences sexuelles. Gardez ce code : vous le donnerez au chauffeur.",
        "Ik reserveer een gratis taxi van {0}, naar het Zorgcentrum na Seksueel Geweld. Onthoud deze code: u geeft hem aan de chauffeur.",
        "I am booking a free taxi from {0}, to the sexual violence care centre. Keep this code: you will give it to the driver.");
    public static readonly Text RepeatOffer = new(
        "Pour réentendre le code, tapez 1.",
        "Om de code opnieuw te horen, druk 1.",
        "To hear the code again, press 1.");
    public static readonly Text TextOffer = new(
        "Pour recevoir la voiture et sa plaque par SMS, tapez 2 : je garde votre numéro seulement jusqu'à l'envoi.",
        "Om de wagen en de nummerplaat per sms te krijgen, druk 2: ik bewaar uw nummer alleen tot het bericht verstuurd is.",
        "To receive the car and its plate by text message, press 2: I keep your number only until it is sent.");
    public static readonly Text TextHeld = new(
        "C'est noté : vous recevrez le SMS avec la confirmation.",
        "Genoteerd: u krijgt de sms bij de bevestiging.",
        "Noted: you will get the text message with the confirmation.");
    public static readonly Text TextNoNumber = new(
        "Votre numéro est masqué : je ne peux pas vous envoyer de SMS.",
        "Uw nummer is afgeschermd: ik kan u geen sms sturen.",
        "Your number is hidden, so I cannot send you a text message.");
    public static readonly Text Goodbye = new(
        "Vous pouvez raccrocher. Prenez soin de vous. Au revoir.",
        "U kunt nu inleggen. Zorg goed voor uzelf. Tot ziens.",
        "You can hang up now. Take care of yourself. Goodbye.");
    public static readonly Text Connecting = new(
        "Je vous mets en relation avec une personne. Restez en ligne.",
        "Ik verbind u door met een medewerker. Blijf aan de lijn.",
        "I am connecting you to a person. Please stay on the line.");
    public static readonly Text DialRetry = new(
        "Personne n'a encore répondu. J'essaie à nouveau.",
        "Er werd nog niet opgenomen. Ik probeer het opnieuw.",
        "Nobody has answered yet. I am trying again.");
    public static readonly Text DialFailed = new(
        "Personne n'a pu répondre pour le moment. En cas de danger, appelez le 1 1 2. Vous pouvez rappeler ce numéro à tout moment.",
        "Er kon nu niemand opnemen. Bent u in gevaar, bel dan 1 1 2. U kunt dit nummer altijd opnieuw bellen.",
        "Nobody could answer right now. If you are in danger, call 1 1 2. You can call this number again at any time.");
    public static readonly Text UnknownNumber = new(
        "Ce numéro n'est pas encore en service. Je vous mets en relation avec une personne.",
        "Dit nummer is nog niet in gebruik. Ik verbind u door met een medewerker.",
        "This number is not in service yet. I am connecting you to a person.");
    /// <summary>The wait's first words; the tone is named so that the caller knows the line is alive while it plays.</summary>
    public static readonly Text StayOnLine = new(
        "Restez en ligne : je vous le dirai dès qu'un taxi aura accepté. En attendant, vous entendrez un signal doux.",
        "Blijf aan de lijn: ik zeg het u zodra een taxi aanvaardt. Intussen hoort u een zacht signaal.",
        "Please stay on the line: I will tell you as soon as a taxi accepts. Meanwhile, you will hear a soft tone.");
    public static readonly Text StillHere = new(
        "Je suis toujours là, et je continue de réserver votre taxi.",
        "Ik ben er nog. Ik reserveer nog steeds uw taxi.",
        "I am still here, still booking your taxi.");
    public static readonly Text StillTrying = new(
        "Aucun taxi n'a encore accepté. Je continue d'essayer.",
        "Er heeft nog geen taxi aanvaard. Ik blijf het proberen.",
        "No taxi has accepted yet. I am still trying.");
    /// <summary>True of every wait: at the hand-over deadline a person takes the call.</summary>
    public static readonly Text PersonIfNoTaxi = new(
        "Si aucun taxi n'accepte bientôt, je vous mettrai en relation avec une personne.",
        "Aanvaardt er niet snel een taxi, dan verbind ik u door met een medewerker.",
        "If no taxi accepts soon, I will put you through to a person.");
    /// <summary>What the wait says in turn after its first words, one every 16 s at most (VoiceMenu.Wait): short, and never that a car is coming.</summary>
    public static readonly Text[] Reassurances = [StillHere, StillTrying, PersonIfNoTaxi];
    public static readonly Text Confirmed = new(
        "Votre taxi est confirmé.",
        "Uw taxi is bevestigd.",
        "Your taxi is confirmed.");
    public static readonly Text Eta = new(
        "Il arrive dans environ {0} minutes.",
        "Hij is er over ongeveer {0} minuten.",
        "It will be there in about {0} minutes.");
    public static readonly Text Vehicle = new(
        "La voiture : {0}.",
        "De wagen: {0}.",
        "The car: {0}.");
    public static readonly Text NotConfirmed = new(
        "Le taxi n'est pas encore confirmé. Je vous mets en relation avec une personne. Restez en ligne.",
        "De taxi is nog niet bevestigd. Ik verbind u door met een medewerker. Blijf aan de lijn.",
        "The taxi is not confirmed yet. I am connecting you to a person. Please stay on the line.");
    public static readonly Text Expected = new(
        "Donnez votre code au chauffeur. Au centre, quelqu'un vous attend.",
        "Geef uw code aan de chauffeur. In het centrum wacht iemand op u.",
        "Give your code to the driver. At the centre, someone is expecting you.");
    public static readonly Text CallerLimit = new(
        "Ce numéro a déjà demandé plusieurs taxis dans l'heure. Je vous mets en relation avec une personne qui va vous aider. Restez en ligne.",
        "Dit nummer heeft het voorbije uur al meerdere taxi's gevraagd. Ik verbind u door met een medewerker die u verder helpt. Blijf aan de lijn.",
        "This number has already asked for several taxis in the last hour. I am connecting you to a person who will help you. Please stay on the line.");
    public static readonly Text CampusBusy = new(
        "Je vous mets en relation avec une personne qui va organiser votre taxi. Restez en ligne.",
        "Ik verbind u door met een medewerker die uw taxi regelt. Blijf aan de lijn.",
        "I am connecting you to a person who will arrange your taxi. Please stay on the line.");

    public static string Format(Text prompt, Language language, params object[] args) =>
        string.Format(language.Culture, prompt.In(language.Code), args);

    /// <summary>Digits spoken one by one with a short pause between them ("4, 7, 2, 9").</summary>
    public static string Digits(string code) => BookingCodes.Spoken(code) + ".";
}
