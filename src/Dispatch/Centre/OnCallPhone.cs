using System.Xml.Linq;
using Alice.Dispatch.Campuses;
using Alice.Dispatch.Rides;
using Microsoft.Extensions.Options;

namespace Alice.Dispatch.Centre;

/// <summary>
/// Reaches a campus's on-call phone (or its second number) about an alert, through Twilio: an SMS and/or
/// a call that speaks it, from the campus's hotline number. What is said is the booking code, the pickup
/// point and what is wrong, then where to act: nothing about the caller, because nothing is stored.
/// </summary>
internal sealed class OnCallPhone(TwilioRest twilio, IOptions<CentreOptions> options, IOptions<TwilioRestOptions> account)
{
    private readonly string _console = account.Value.PublicBaseUrl.TrimEnd('/') + "/centre";

    public async Task ReachAsync(HotlineOptions.Campus campus, Ride ride, AlertKind kind, bool escalation, CancellationToken ct)
    {
        var to = escalation ? campus.EscalationNumber : campus.OnCallNumber;
        var pickup = campus.PickupPoint(ride.PickupPointId)?.Names.GetValueOrDefault("fr") ?? ride.PickupPointId;
        var (fr, en) = What(kind);
        var first = escalation ? "ESCALADE (personne n'a répondu) — " : "";
        var firstEn = escalation ? "ESCALATION (nobody answered) — " : "";
        if (options.Value.NotifyBy is NotifyBy.Sms or NotifyBy.SmsAndCall)
            await twilio.SendSmsAsync(to, campus.HotlineNumber,
                $"Alice {campus.Name}: {first}trajet {ride.BookingCode} ({pickup}) : {fr} / {firstEn}ride {ride.BookingCode}: {en}. {_console}", ct);
        if (options.Value.NotifyBy is NotifyBy.Call or NotifyBy.SmsAndCall)
        {
            var digits = BookingCodes.Spoken(ride.BookingCode);
            var said = $"Alerte Alice, {campus.Name}. {first}Trajet {digits}, départ {pickup} : {fr}. Consultez la console du centre.";
            // Said twice: the person may pick up half awake. In a voice that speaks Belgian French.
            var voice = SpeakingVoices.Defaults()[Languages.French.Code];
            var twiml = new XElement("Response",
                new XElement("Say", new XAttribute("voice", voice), new XAttribute("language", Languages.French.Locale), said),
                new XElement("Pause", new XAttribute("length", 1)),
                new XElement("Say", new XAttribute("voice", voice), new XAttribute("language", Languages.French.Locale), said));
            await twilio.CallAsync(to, campus.HotlineNumber, twiml.ToString(SaveOptions.DisableFormatting), ct);
        }
    }

    private static (string Fr, string En) What(AlertKind kind) => kind switch
    {
        AlertKind.PickupLate => ("le taxi n'est pas arrivé au départ à l'heure prévue, vérifiez auprès du partenaire",
            "the taxi is late at the pickup point, check with the partner"),
        _ => ("aucun taxi n'a confirmé, une personne doit organiser le trajet", "no taxi confirmed, a person must arrange the ride"),
    };
}
