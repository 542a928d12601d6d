using Alice.Web;
using Alice.Totals;

namespace Alice.Admin.Totals;

/// <summary>The totals pages' words, in French, Dutch and English.</summary>
internal static class TotalsTexts
{
    public static readonly Text Title = new("Alice en chiffres", "Alice in cijfers", "Alice in figures");
    public static readonly Text AllCampuses = new("Tous les campus", "Alle campussen", "All campuses");
    public static readonly Text Campus = new("Campus", "Campus", "Campus");
    public static readonly Text ByWeek = new("Par semaine", "Per week", "By week");
    public static readonly Text ByMonth = new("Par mois", "Per maand", "By month");
    public static readonly Text ByYear = new("Par année", "Per jaar", "By year");
    public static readonly Text Period = new("Période", "Periode", "Period");
    public static readonly Text Total = new("Total de l'année", "Totaal van het jaar", "Year total");
    public static readonly Text Csv = new("Télécharger (CSV)", "Downloaden (CSV)", "Download (CSV)");
    public static readonly Text Report = new("Rapport imprimable", "Afdrukbaar rapport", "Printable report");
    public static readonly Text Back = new("Retour au tableau", "Terug naar de tabel", "Back to the table");
    public static readonly Text Accounts = new("Comptes", "Accounts", "Accounts");
    public static readonly Text NoData = new("Rien de publié pour l'instant : les chiffres d'une semaine paraissent le deuxième lundi après sa fin.",
        "Nog niets gepubliceerd: de cijfers van een week verschijnen op de maandag van de week na de volgende.",
        "Nothing published yet: a week's figures appear on the Monday of the week after next.");
    public static readonly Text WrongQuery = new("Cette page n'existe pas : choisissez un campus, une période et une année dans les liens.",
        "Deze pagina bestaat niet: kies een campus, een periode en een jaar via de links.", "There is no such page: choose a campus, a period and a year from the links.");
    public static readonly Text Unavailable = new(
        "Les chiffres ne peuvent pas être lus pour l'instant : le service Alice démarre, ou n'a pas encore créé ses chiffres publiés. Réessayez dans un moment.",
        "De cijfers kunnen nu niet gelezen worden: de Alice-dienst start op, of heeft zijn gepubliceerde cijfers nog niet aangemaakt. Probeer het zo meteen opnieuw.",
        "The figures cannot be read just now: the Alice service is starting, or has not made its published figures yet. Try again in a moment.");
    public static readonly Text TryAgain = new("Réessayer", "Opnieuw proberen", "Try again");
    public static readonly Text Week = new("Semaine", "Week", "Week");
    public static readonly Text ChartTitle = new("Trajets réservés (barres) et attente médiane jusqu'à la prise en charge (ligne, minutes)",
        "Geboekte ritten (staven) en mediane wachttijd tot ophaling (lijn, minuten)", "Rides booked (bars) and median wait until pickup (line, minutes)");
    public static readonly Text ChartTitleBarsOnly = new("Trajets réservés par période", "Geboekte ritten per periode", "Rides booked by period");
    public static readonly Text LegendBooked = new("Trajets réservés", "Geboekte ritten", "Rides booked");
    public static readonly Text LegendMedian = new("Ligne : attente médiane jusqu'à la prise en charge (minutes, échelle de droite)",
        "Lijn: mediane wachttijd tot ophaling (minuten, schaal rechts)", "Line: median wait until pickup (minutes, right-hand scale)");
    private static readonly Text LegendHiddenOf = new("Contour pointillé : moins de {0} (non affiché)", "Stippellijn: minder dan {0} (niet getoond)",
        "Dashed outline: fewer than {0} (not shown)");
    public static readonly Text TableHint = new("Sur un petit écran, le tableau défile de côté : glissez-le, ou sélectionnez-le et utilisez les flèches.",
        "Op een klein scherm schuift de tabel opzij: veeg erover, of selecteer hem en gebruik de pijltjestoetsen.",
        "On a small screen the table scrolls sideways: swipe it, or select it and use the arrow keys.");
    public static readonly Text MadeOn = new("Rapport établi le", "Rapport opgesteld op", "Report made on");
    /// <summary>The CSV's last column: which of the row's cells are left empty (hidden, or too few to say).</summary>
    public static readonly Text HiddenColumn = new("Masqué", "Verborgen", "Hidden");
    private static readonly Text NothingForYear = new("Rien de publié pour {0}.", "Niets gepubliceerd voor {0}.", "Nothing published for {0}.");

    public static string LegendHidden(string language, int threshold) =>
        string.Format(System.Globalization.CultureInfo.InvariantCulture, LegendHiddenOf.In(language), threshold);

    public static string NothingFor(string language, int year) =>
        string.Format(System.Globalization.CultureInfo.InvariantCulture, NothingForYear.In(language), year);

    public static System.Globalization.CultureInfo Culture(string language) =>
        System.Globalization.CultureInfo.GetCultureInfo(language switch { "nl" => "nl-BE", "en" => "en-GB", _ => "fr-BE" });

    public static readonly Text MedianWait = new("Attente médiane (min)", "Mediane wachttijd (min)", "Median wait (min)");
    public static readonly Text P90Wait = new("Attente, 9 sur 10 sous (min)", "Wachttijd, 9 op 10 onder (min)", "Wait, 9 in 10 under (min)");
    public static readonly Text MedianRide = new("Trajet médian (min)", "Mediane rit (min)", "Median ride (min)");

    /// <summary>The sentence every page carries where a cell is hidden: {0} the largest count hidden, {1} the threshold.</summary>
    private static readonly Text WhyHidden = new(
        "Les nombres de 1 à {0} (et parfois un autre chiffre dont on pourrait les déduire) sont affichés « <{1} », pour que personne ne puisse rien apprendre sur une personne à partir de ces chiffres.",
        "Aantallen van 1 tot {0} (en soms een ander getal waaruit ze af te leiden zijn) staan er als <{1}, opdat niemand uit deze cijfers iets over één persoon kan leren.",
        "Counts from 1 to {0} (and sometimes another figure they could be worked out from) are shown as <{1}, so that no one can learn anything about one person from these figures.");

    public static string Why(string language, int threshold) =>
        string.Format(System.Globalization.CultureInfo.InvariantCulture, WhyHidden.In(language), threshold - 1, threshold);

    public static string Of(Measure measure, string language) => (measure switch
    {
        Measure.CallsAnswered => new Text("Appels reçus", "Ontvangen oproepen", "Calls answered"),
        Measure.CallsWithoutBooking => new Text("Appels sans réservation", "Oproepen zonder boeking", "Calls without a booking"),
        Measure.RidesBooked => new Text("Trajets réservés", "Geboekte ritten", "Rides booked"),
        Measure.RidesBookedByText => new Text("dont par SMS", "waarvan per sms", "of which by text"),
        Measure.HandedOver => new Text("Confiés à une personne", "Aan een persoon overgedragen", "Handed to a person"),
        Measure.PartnerFailovers => new Text("Changements de taxi", "Taxiwissels", "Partner failovers"),
        Measure.Arrived => new Text("Arrivés au centre", "Aangekomen in het centrum", "Arrived at the centre"),
        Measure.PoliceRequests => new Text("Demandes à la police", "Verzoeken aan de politie", "Police requests"),
        Measure.AlertsRaised => new Text("Alertes", "Waarschuwingen", "Alerts"),
        _ => throw new ArgumentOutOfRangeException(nameof(measure)),
    }).In(language);

    public static string Month(int month, string language) => Culture(language).DateTimeFormat.GetMonthName(month);
}
