using Alice.Dispatch.Campuses;
using Alice.Web;

namespace Alice.Dispatch.Texting;

/// <summary>
/// What the text conversation writes, in three languages. Short (one text each), and nothing in it says what
/// the taxi is for or where it goes: someone else may read the phone. {0}, {1} are filled by <see cref="Format"/>.
/// </summary>
internal static class TextWords
{
    /// <summary>Ends with the verb the options after it share: "Where are you? Reply 1 Alma metro, 2 Saint-Luc hospital, 0 for a person."</summary>
    public static readonly Text PickupQuestion = new("Où êtes-vous ? Répondez", "Waar bent u? Antwoord", "Where are you? Reply");
    public static readonly Text PickupOption = new("{1} {0},", "{1} {0},", "{1} {0},");
    public static readonly Text PersonOption = new("0 pour une personne.", "0 voor een persoon.", "0 for a person.");
    public static readonly Text LanguageOffer = new("NL: Nederlands. EN: English.", "FR: français. EN: English.", "FR: français. NL: Nederlands.");
    public static readonly Text NotUnderstood = new("Je n'ai pas compris.", "Ik heb u niet begrepen.", "Sorry, I did not get that.");
    public static readonly Text Code = new(
        "Votre code : {0}. Je réserve un taxi gratuit depuis {1}. Gardez ce code : vous le donnerez au chauffeur. Un SMS suivra dès qu'il est confirmé. 1 : répéter. 0 : une personne.",
        "Uw code: {0}. Ik reserveer een gratis taxi van {1}. Onthoud deze code: u geeft hem aan de chauffeur. U krijgt een sms zodra hij bevestigd is. 1: herhalen. 0: een persoon.",
        "Your code: {0}. I am booking a free taxi from {1}. Keep this code: you will give it to the driver. A text will follow as soon as it is confirmed. 1: repeat. 0: a person.");
    public static readonly Text StillBooking = new(
        "Votre code : {0}. Je réserve toujours votre taxi ; un SMS suivra dès qu'il est confirmé.",
        "Uw code: {0}. Ik boek nog steeds uw taxi; u krijgt een sms zodra hij bevestigd is.",
        "Your code: {0}. I am still booking your taxi; a text will follow as soon as it is confirmed.");
    public static readonly Text Person = new(
        "Une personne va vous répondre ici, par écrit.",
        "Een medewerker antwoordt u hier, schriftelijk.",
        "A person will answer you here, in writing.");
    public static readonly Text CallerLimit = new(
        "Ce numéro a déjà demandé plusieurs taxis dans l'heure. Une personne va vous répondre ici, par écrit.",
        "Dit nummer heeft het voorbije uur al meerdere taxi's gevraagd. Een medewerker antwoordt u hier, schriftelijk.",
        "This number has already asked for several taxis in the last hour. A person will answer you here, in writing.");
    public static readonly Text CampusBusy = new(
        "Une personne va organiser votre taxi et vous répondre ici, par écrit.",
        "Een medewerker regelt uw taxi en antwoordt u hier, schriftelijk.",
        "A person will arrange your taxi and answer you here, in writing.");
    public static readonly Text HandedOver = new(
        "Aucun taxi n'a encore confirmé. Répondez 0 : une personne vous écrira. En danger, appelez le 112.",
        "Nog geen taxi heeft bevestigd. Antwoord 0: een medewerker schrijft u. In gevaar, bel 112.",
        "No taxi has confirmed yet. Reply 0 and a person will write to you. In danger, call 112.");
    public static readonly Text Failed = new(
        "Désolé, un problème. Renvoyez votre message. En danger, appelez le 112.",
        "Sorry, er ging iets mis. Stuur uw bericht opnieuw. In gevaar, bel 112.",
        "Sorry, something went wrong. Please send your message again. In danger, call 112.");

    public static string Format(Text text, Language language, params object[] args) => string.Format(language.Culture, text.In(language.Code), args);

    /// <summary>The keywords that choose a language, as the menu offers them.</summary>
    public static Language? Keyword(string body) => body.Trim().ToUpperInvariant() switch
    {
        "FR" or "FRANÇAIS" or "FRANCAIS" => Languages.French,
        "NL" or "NEDERLANDS" => Languages.Dutch,
        "EN" or "ENGLISH" => Languages.English,
        _ => null,
    };

    private static readonly Dictionary<string, Language> Words = new(StringComparer.OrdinalIgnoreCase)
    {
        ["bonjour"] = Languages.French, ["bonsoir"] = Languages.French, ["salut"] = Languages.French, ["aide"] = Languages.French,
        ["besoin"] = Languages.French, ["je"] = Languages.French, ["suis"] = Languages.French, ["svp"] = Languages.French,
        ["merci"] = Languages.French, ["un"] = Languages.French, ["une"] = Languages.French, ["aidez"] = Languages.French,
        ["hallo"] = Languages.Dutch, ["goedendag"] = Languages.Dutch, ["dag"] = Languages.Dutch, ["hulp"] = Languages.Dutch,
        ["ik"] = Languages.Dutch, ["nodig"] = Languages.Dutch, ["alstublieft"] = Languages.Dutch, ["aub"] = Languages.Dutch,
        ["graag"] = Languages.Dutch, ["een"] = Languages.Dutch, ["heb"] = Languages.Dutch, ["dank"] = Languages.Dutch,
        ["hello"] = Languages.English, ["hi"] = Languages.English, ["please"] = Languages.English, ["need"] = Languages.English,
        ["i"] = Languages.English, ["a"] = Languages.English, ["help"] = Languages.English, ["thanks"] = Languages.English,
        ["am"] = Languages.English, ["my"] = Languages.English,
    };

    /// <summary>The language of a first message: its keyword, else the language most of its known words are in; French when none is.</summary>
    public static Language LanguageOf(string body)
    {
        if (Keyword(body) is { } chosen) return chosen;
        var counts = body.Split([' ', ',', '.', '!', '?', ';', ':', '\'', '\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries)
            .Select(w => Words.GetValueOrDefault(w)).OfType<Language>()
            .GroupBy(l => l).Select(g => (Language: g.Key, Count: g.Count())).OrderByDescending(g => g.Count).ToList();
        return counts.Count > 0 && (counts.Count == 1 || counts[0].Count > counts[1].Count) ? counts[0].Language : Languages.French;
    }

    /// <summary>The code written digit by digit ("4 7 2 9"), as the car message writes it.</summary>
    public static string Spaced(string code) => string.Join(' ', code.ToCharArray());
}
