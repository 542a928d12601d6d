using Alice.Dispatch.Campuses;
using Alice.Dispatch.Rides;
using Alice.Dispatch.Twilio;
using Microsoft.Extensions.Options;

namespace Alice.Dispatch.Centre;

/// <summary>
/// Reaches a campus's on-call phone (or its second number) about an alert, through Twilio: an SMS and/or
/// a call that speaks it, from the campus's hotline number. What is said is the booking code, the pickup
/// point and its address, what is wrong, the number to call when there is one, then where to act: nothing
/// about the caller, because nothing is stored.
/// </summary>
internal sealed class OnCallPhone(TwilioRest twilio, Voices voices, IOptions<CentreOptions> options, IOptions<TwilioOptions> account)
{
    /// <summary>Read when a message is written, not when this is built: the settings are checked together at start, all errors at once.</summary>
    private string ConsoleUrl => account.Value.BaseUrl + "/centre";

    public async Task ReachAsync(HotlineOptions.Campus campus, Ride ride, AlertKind kind, bool escalation, CancellationToken ct)
    {
        var to = escalation ? campus.EscalationNumber : campus.OnCallNumber;
        var point = campus.PickupPoint(ride.PickupPointId);
        var pickup = point?.Names.GetValueOrDefault("fr") ?? ride.PickupPointId;
        var (fr, en) = What(kind);
        var first = escalation ? "ESCALADE (personne n'a répondu) — " : "";
        var firstEn = escalation ? "ESCALATION (nobody answered) — " : "";
        // Where to go and whom to call, so the person can act from the message alone: a ride no taxi took
        // has its caller on the campus's human line.
        var address = point is null ? "" : $" {point.Address}.";
        var call = kind == AlertKind.NeedsPerson ? $" Tél./Tel. {campus.HumanNumber}." : "";
        await TellAsync(campus, to,
            $"Alice {campus.Name}: {first}trajet {ride.BookingCode} ({pickup}) : {fr} / {firstEn}ride {ride.BookingCode}: {en}.{address}{call} {ConsoleUrl}",
            $"Alerte Alice, {campus.Name}. {first}Trajet {BookingCodes.Spoken(ride.BookingCode)}, départ {pickup}{(point is null ? "" : $", {point.Address}")} : {fr}. Consultez la console du centre.", ct);
    }

    /// <summary>Someone who texted asks for a person: the answer is written from the console, which alone can send it.</summary>
    public Task ReachAboutWrittenAsync(HotlineOptions.Campus campus, bool escalation, CancellationToken ct) => TellAsync(campus,
        escalation ? campus.EscalationNumber : campus.OnCallNumber,
        $"Alice {campus.Name}: {(escalation ? "ESCALADE (personne n'a répondu) — " : "")}quelqu'un demande une personne par SMS : répondez par écrit depuis la console / "
        + $"{(escalation ? "ESCALATION (nobody answered) — " : "")}someone texting asks for a person: answer in writing from the console. {ConsoleUrl}",
        $"Alerte Alice, {campus.Name}. Quelqu'un demande une personne par SMS. Répondez par écrit depuis la console du centre.", ct);

    /// <summary>The campus takes more new rides than a night brings (a prank flood, an autodialer): new callers go to its human line.</summary>
    public Task ReachAboutFloodAsync(HotlineOptions.Campus campus, int rides, int minutes, CancellationToken ct) => TellAsync(campus, campus.OnCallNumber,
        $"Alice {campus.Name}: {rides} trajets en {minutes} min, au-delà du seuil : les nouveaux appels passent à la ligne humaine / "
        + $"{rides} rides in {minutes} min, above the threshold: new callers are put through to the human line. {ConsoleUrl}",
        $"Alerte Alice, {campus.Name}. {rides} trajets en {minutes} minutes, au-delà du seuil. Les nouveaux appels passent à la ligne humaine.", ct);

    /// <summary>An account of the console changed: one short text, whatever the alerts use (it is news, not a call to act).</summary>
    public Task TellAboutAccountAsync(HotlineOptions.Campus campus, string text, CancellationToken ct) =>
        twilio.SendSmsAsync(campus.OnCallNumber, campus.HotlineNumber, text, ct);

    /// <summary>By text and/or by a call that speaks, as the centre chose, from the campus's hotline number.</summary>
    private async Task TellAsync(HotlineOptions.Campus campus, string to, string text, string said, CancellationToken ct)
    {
        if (options.Value.NotifyBy is NotifyBy.Sms or NotifyBy.SmsAndCall)
            await twilio.SendSmsAsync(to, campus.HotlineNumber, text, ct);
        // In French; said twice, for the person may pick up half awake.
        if (options.Value.NotifyBy is NotifyBy.Call or NotifyBy.SmsAndCall)
            await twilio.CallAsync(to, campus.HotlineNumber, voices.SaidTwice((Languages.French, said)), ct);
    }

    private static (string Fr, string En) What(AlertKind kind) => kind switch
    {
        AlertKind.PickupLate => ("le taxi n'est pas arrivé au départ à l'heure prévue, vérifiez auprès du partenaire",
            "the taxi is late at the pickup point, check with the partner"),
        _ => ("aucun taxi n'a confirmé, une personne doit organiser le trajet", "no taxi confirmed, a person must arrange the ride"),
    };
}
