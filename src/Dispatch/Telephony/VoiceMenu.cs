using System.Collections.Concurrent;
using Alice.Dispatch.Booking;
using Alice.Dispatch.Campuses;
using Alice.Dispatch.Messages;
using Alice.Dispatch.Retention;
using Alice.Dispatch.Rides;
using Alice.Dispatch.Twilio;
using Alice.Web;
using Microsoft.AspNetCore.Http.HttpResults;
using Twilio.TwiML;
// What a webhook step answers: TwiML, or a 4xx/5xx problem for a request no call Twilio placed could make.
using Reply = Microsoft.AspNetCore.Http.HttpResults.Results<Microsoft.AspNetCore.Http.HttpResults.ContentHttpResult, Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult>;

namespace Alice.Dispatch.Telephony;

/// <summary>
/// The voice menu, one method per webhook. Every path ends in a booking code or a person: a caller who
/// presses nothing, presses a wrong key twice, or hits a fault is bridged to the campus's human line.
/// </summary>
internal sealed class VoiceMenu(
    CampusDirectory campuses, BookingDesk booking, CallEnd callEnd, MenuUrls urls, Voices voices, TimeProvider clock, ILogger<VoiceMenu> logger)
{
    /// <summary>Seconds of silence before the default: short, since French callers wait through it.</summary>
    private const int LanguageTimeout = 3;
    private const int MenuTimeout = 5;
    /// <summary>A wrong key or no key is met once with the menu again, then with a person.</summary>
    private const int MaxAttempts = 2;
    /// <summary>
    /// While the caller waits, a sentence every this many rounds (after the first): each round plays the hold
    /// tone (<see cref="HoldTone.Length"/>, 4 s), so at least 16 s of it lie between two sentences.
    /// </summary>
    private const int RoundsPerSentence = 4;
    /// <summary>After the hand-over deadline, how long the wait goes on for the booking job to hand over before the menu bridges the caller itself.</summary>
    private static readonly TimeSpan WaitGrace = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The answers that follow from the configuration alone (the greeting, a campus's pickup menu), each written
    /// once, keyed by campus and step: a flood of calls (pranks, a campaign) meets them first, and writing the
    /// same TwiML again for every call was the larger part of what a menu step cost.
    /// </summary>
    private readonly ConcurrentDictionary<(string Campus, string Step), string> _fixedAnswers = new();

    private ContentHttpResult Fixed(HotlineOptions.Campus campus, string step, Func<VoiceResponse> twiml) =>
        Twiml.Result(_fixedAnswers.GetOrAdd((campus.Id, step), _ => twiml().Document()));

    public Reply Greeting(TwilioCall call)
    {
        var campus = campuses.ByNumber(call.To);
        if (campus is null) return UnknownNumber(call);
        return Fixed(campus, "greeting", () => Answer()
            .Append(Twiml.KeyPress(urls.Language(), LanguageTimeout)
                // French needs no offer: it is what a caller who presses nothing gets.
                .Append(voices.Say(Languages.French, Prompts.Welcome.In(Languages.French.Code)))
                .Append(voices.Say(Languages.Dutch, Prompts.LanguageOffer.In(Languages.Dutch.Code)))
                .Append(voices.Say(Languages.English, Prompts.LanguageOffer.In(Languages.English.Code))))
            .Append(Twiml.Next(urls.Menu(Languages.French, 1))));
    }

    public Reply ChooseLanguage(TwilioCall call)
    {
        var campus = campuses.ByNumber(call.To);
        if (campus is null) return UnknownNumber(call);
        var language = call.Digits switch { "2" => Languages.Dutch, "3" => Languages.English, _ => Languages.French };
        return PickupMenu(campus, language, 1, notUnderstood: false);
    }

    public Reply Menu(TwilioCall call)
    {
        var campus = campuses.ByNumber(call.To);
        return campus is null ? UnknownNumber(call) : PickupMenu(campus, LanguageOf(call), AttemptOf(call), notUnderstood: false);
    }

    /// <summary>
    /// The key press that books. The ride is written through <paramref name="answer"/>: should the step
    /// run out of time and the caller be bridged to a person first, the ride is not committed.
    /// </summary>
    public async Task<Reply> Pickup(TwilioCall call, CallerAnswer answer)
    {
        var campus = campuses.ByNumber(call.To);
        if (campus is null) return UnknownNumber(call);
        var language = LanguageOf(call);
        var attempt = AttemptOf(call);

        if (call.Digits == "0") return Bridge(campus.HotlineNumber, campus.HumanNumber, language, 1);
        var point = call.Digits is [var key and >= '1' and <= '9'] && key - '1' < campus.PickupPoints.Count
            ? campus.PickupPoints[key - '1']
            : null;
        if (point is null)
            return attempt < MaxAttempts
                ? PickupMenu(campus, language, attempt + 1, notUnderstood: true)
                : Bridge(campus.HotlineNumber, campus.HumanNumber, language, 1);
        if (call.CallSid is null) return TypedResults.Problem(statusCode: 400, title: "CallSid is required to book a ride.");
        var booked = await booking.BookWithinLimitsAsync(campus.Id, point.Id, call.From, call.CallSid, language, answer, Channel.Voice);
        if (booked.Ride is { } ride) return CodeMessage(ride, point, language);
        // Over a limit, a person takes the call, and the caller hears why in plain words: never a refusal. After a
        // failure too: the caller must never hear Twilio's error.
        return Bridge(campus.HotlineNumber, campus.HumanNumber, language, 1, booked.Outcome switch
        {
            AttemptOutcome.CallerLimit => Prompts.CallerLimit.In(language.Code),
            AttemptOutcome.CampusBusy => Prompts.CampusBusy.In(language.Code),
            _ => null,
        });
    }

    /// <summary>
    /// A key after the code: 1 repeats it, 2 asks for the car by text; no key or another goes on waiting.
    /// Asking for the text is the one step of the menu that may keep the caller's number, so the consents
    /// are handed to this step alone rather than held by the menu.
    /// </summary>
    public async Task<Reply> RepeatCode(TwilioCall call, SmsConsents textConsents, CancellationToken ct)
    {
        var campus = campuses.ByNumber(call.To);
        if (campus is null) return UnknownNumber(call);
        var language = LanguageOf(call);
        if (call.Digits == "2") return await TextTheCar(call, campus, language, textConsents, ct);
        if (call.Digits != "1") return await Wait(call, ct);
        var ride = call.CallSid is null ? null : await booking.FindForCallAsync(call.CallSid, ct);
        var point = ride is null ? null : campus.PickupPoint(ride.PickupPointId);
        return ride is null || point is null
            ? Bridge(campus.HotlineNumber, campus.HumanNumber, language, 1)
            : CodeMessage(ride, point, language);
    }

    /// <summary>
    /// The caller asked for the car by text: their number is held, encrypted, until the message naming the
    /// car is sent (two hours at most), and the wait goes on as after the code. A hidden number is said to
    /// be one that cannot be texted; a ride already with a person, or over, holds nothing and goes on as
    /// the wait would.
    /// </summary>
    private async Task<Reply> TextTheCar(TwilioCall call, HotlineOptions.Campus campus, Language language, SmsConsents textConsents, CancellationToken ct)
    {
        if (call.From is null) return TypedResults.Problem(statusCode: 400, title: "From (the caller's number) is required to text the car.");
        var ride = call.CallSid is null ? null : await booking.FindForCallAsync(call.CallSid, ct);
        if (ride is null) return Bridge(campus.HotlineNumber, campus.HumanNumber, language, 1);
        var said = await textConsents.HoldAsync(ride, call.From, ct) switch
        {
            ConsentResult.Held => Prompts.TextHeld,
            ConsentResult.NoNumber => Prompts.TextNoNumber,
            _ => null,
        };
        if (said is null) return await Wait(call, ct);
        return Answer().Append(voices.Say(language, said.In(language.Code))).Append(Twiml.Next(urls.Wait(language, 1))).ToResult();
    }

    /// <summary>
    /// The caller stays on the line after the code: every round the ride is looked at again, until the partner
    /// confirms (ETA, and the car when known), a person takes over, or the hand-over time has passed anyway:
    /// then a person too. A round is short (the hold tone, 4 s), so a confirmation is heard within seconds;
    /// words come only in the first round and then every <see cref="RoundsPerSentence"/> rounds, varied, so the
    /// wait reassures without pressing. The round travels in the URL: nothing is kept between them.
    /// </summary>
    public async Task<Reply> Wait(TwilioCall call, CancellationToken ct)
    {
        var campus = campuses.ByNumber(call.To);
        if (campus is null) return UnknownNumber(call);
        var language = LanguageOf(call);
        var round = int.TryParse(call.Query("n"), out var n) ? Math.Max(1, n) : 1;
        var ride = call.CallSid is null ? null : await booking.FindForCallAsync(call.CallSid, ct);
        if (ride is null) return Bridge(campus.HotlineNumber, campus.HumanNumber, language, 1);

        if (IsConfirmed(ride)) return ConfirmedMessage(ride, language);
        var waitedLongEnough = clock.GetUtcNow() > ride.HandOverAt + WaitGrace;
        if (ride.Status == RideStatus.NeedsPerson || waitedLongEnough)
            return Bridge(campus.HotlineNumber, campus.HumanNumber, language, 1, Prompts.NotConfirmed.In(language.Code));
        var twiml = Answer();
        if (WaitSentence(round) is { } sentence) twiml.Append(voices.Say(language, sentence.In(language.Code)));
        return twiml
            .Play(new Uri(urls.HoldTone()))
            .Append(Twiml.Next(urls.Wait(language, round + 1)))
            .ToResult();
    }

    /// <summary>What the wait says in this round, if anything: to stay on the line first, then a reassurance in turn.</summary>
    private static Text? WaitSentence(int round) =>
        round == 1 ? Prompts.StayOnLine
        : (round - 1) % RoundsPerSentence == 0 ? Prompts.Reassurances[((round - 1) / RoundsPerSentence - 1) % Prompts.Reassurances.Length]
        : null;

    public Reply DialEnded(TwilioCall call)
    {
        var language = LanguageOf(call);
        if (call.DialCallStatus == CallStatus.Completed) return Answer().Hangup().ToResult();
        var attempt = AttemptOf(call);
        var campus = campuses.ByNumber(call.To);
        if (campus is null && !PhoneNumbers.IsE164(call.To)) return NoDialledNumber();
        var (callerId, number) = campus is not null
            ? (campus.HotlineNumber, campus.HumanNumber)
            : (call.To!, campuses.Hotline.FallbackNumber);
        if (attempt < MaxAttempts)
            return Bridge(callerId, number, language, attempt + 1, Prompts.DialRetry.In(language.Code));
        return Answer().Append(voices.Say(language, Prompts.DialFailed.In(language.Code))).Hangup().ToResult();
    }

    /// <summary>
    /// For Twilio's fallback URL, and for a step that failed or ran out of time (<see cref="AnswerInTime"/>):
    /// skip the menu and reach a person, in the caller's language once chosen. Touches no database.
    /// </summary>
    public Reply Fallback(TwilioCall call) =>
        campuses.ByNumber(call.To) is { } campus
            ? Bridge(campus.HotlineNumber, campus.HumanNumber, LanguageOf(call), 1)
            : UnknownNumber(call);

    /// <summary>
    /// Twilio's status callback: the call is over, in whatever way. The first time, nothing ties its ride to
    /// it any more and Twilio's record of it is queued for deletion (<see cref="CallEnd"/>); an answered call
    /// to a campus is counted in the organisers' totals, and counted as ending without a booking when no
    /// ride was written for it (a repeated callback counts nothing). The caller is gone, so a fault here is
    /// answered 503, and Twilio's retry of the callback finds the work still to do.
    /// </summary>
    public async Task<Reply> CallEnded(TwilioCall call, CancellationToken ct)
    {
        if (call.CallStatus is not { } status || !status.HasEnded()) return Answer().ToResult();
        if (call.CallSid is null) return TypedResults.Problem(statusCode: 400, title: "CallSid is required when a call ends.");
        try
        {
            var answeredAt = status == CallStatus.Completed ? campuses.ByNumber(call.To)?.Id : null;
            await callEnd.EndAsync(call.CallSid, answeredAt, ct);
            return Answer().ToResult();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogError("A call's end could not be recorded ({Error})", e.GetType().Name);
            return CallEndNotRecorded();
        }
    }

    /// <summary>The status callback's answer when its work failed or ran out of time: Twilio retries it.</summary>
    public static ProblemHttpResult CallEndNotRecorded() =>
        TypedResults.Problem(statusCode: 503, title: "The call's end could not be recorded; Twilio may retry.");

    private ContentHttpResult PickupMenu(HotlineOptions.Campus campus, Language language, int attempt, bool notUnderstood) =>
        Fixed(campus, $"menu {language.Code} {attempt} {notUnderstood}", () => PickupMenuTwiml(campus, language, attempt, notUnderstood));

    private VoiceResponse PickupMenuTwiml(HotlineOptions.Campus campus, Language language, int attempt, bool notUnderstood)
    {
        var options = campus.PickupPoints.Select((p, i) => Prompts.Format(Prompts.PickupOption, language, p.Names[language.Code], i + 1));
        var text = string.Join(" ", [
            notUnderstood ? Prompts.NotUnderstood.In(language.Code) : "",
            Prompts.PickupQuestion.In(language.Code),
            .. options,
            Prompts.PersonOption.In(language.Code)]).Trim();
        return Answer()
            .Append(Twiml.KeyPress(urls.Pickup(language, attempt), MenuTimeout).Append(voices.Say(language, text)))
            // No key pressed: Twilio moves on to this, and the pickup step treats it as "not understood".
            .Append(Twiml.Next(urls.Pickup(language, attempt)));
    }

    /// <summary>
    /// The code first (it is what matters), then that the free taxi is being booked and where it will go,
    /// then the code again. Nothing is said to be coming until a partner has confirmed: the caller is kept
    /// on the line to hear it (a retried request that finds the ride confirmed hears that instead).
    /// </summary>
    private ContentHttpResult CodeMessage(Ride ride, HotlineOptions.PickupPoint point, Language language)
    {
        if (IsConfirmed(ride)) return ConfirmedMessage(ride, language);
        var code = CodeSentence(ride, language);
        return Answer()
            .Append(Twiml.KeyPress(urls.Code(language), MenuTimeout)
                .Append(voices.Say(language, code))
                .Append(voices.Say(language, Prompts.Format(Prompts.Booking, language, point.Names[language.Code])))
                .Append(voices.Say(language, code))
                .Append(voices.Say(language, Prompts.RepeatOffer.In(language.Code)))
                .Append(voices.Say(language, Prompts.TextOffer.In(language.Code))))
            .Append(Twiml.Next(urls.Wait(language, 1)))
            .ToResult();
    }

    /// <summary>
    /// Only now is the taxi said to be coming, and someone at the centre to be expecting the caller: a
    /// confirmed ride is on the centre's board. Only now is the caller told they may hang up.
    /// </summary>
    private ContentHttpResult ConfirmedMessage(Ride ride, Language language)
    {
        var twiml = Answer().Append(voices.Say(language, Prompts.Confirmed.In(language.Code)));
        if (ride.EtaMinutes is { } eta) twiml.Append(voices.Say(language, Prompts.Format(Prompts.Eta, language, eta)));
        if (ride.Vehicle is { } vehicle) twiml.Append(voices.Say(language, Prompts.Format(Prompts.Vehicle, language, vehicle)));
        return twiml
            .Append(voices.Say(language, CodeSentence(ride, language)))
            .Append(voices.Say(language, Prompts.Expected.In(language.Code)))
            .Append(voices.Say(language, Prompts.Goodbye.In(language.Code)))
            .Hangup()
            .ToResult();
    }

    private bool IsConfirmed(Ride ride) => booking.IsConfirmed(ride);

    private static string CodeSentence(Ride ride, Language language) =>
        $"{Prompts.YourCode.In(language.Code)} {Prompts.Digits(ride.BookingCode)}";

    private ContentHttpResult Bridge(string callerId, string number, Language language, int attempt, string? before = null) =>
        Answer()
            .Append(voices.Say(language, before ?? Prompts.Connecting.In(language.Code)))
            .Append(Twiml.Bridge(callerId, number, urls.DialEnded(language, attempt)))
            .ToResult();

    /// <summary>A number no campus is configured with: say so in all three languages and reach the fallback line.</summary>
    private Reply UnknownNumber(TwilioCall call)
    {
        if (call.To is not { } to || !PhoneNumbers.IsE164(to)) return NoDialledNumber();
        var twiml = Answer();
        foreach (var language in Languages.All) twiml.Append(voices.Say(language, Prompts.UnknownNumber.In(language.Code)));
        // The dialled number is the service's own, so it is a valid caller ID and hides the caller's number.
        return twiml.Append(Twiml.Bridge(to, campuses.Hotline.FallbackNumber, urls.DialEnded(Languages.French, 1))).ToResult();
    }

    /// <summary>
    /// A dialled number no campus has becomes the caller ID of the bridged call: anything but a phone number
    /// (a control character would not even make valid TwiML) is no call Twilio placed.
    /// </summary>
    private static ProblemHttpResult NoDialledNumber() => TypedResults.Problem(statusCode: 400, title: "To (the number dialled) must be an E.164 number.");

    private static VoiceResponse Answer() => new();

    private static Language LanguageOf(TwilioCall call) => Languages.FromCode(call.Query("lang"));

    private static int AttemptOf(TwilioCall call) =>
        int.TryParse(call.Query("try"), out var n) ? Math.Clamp(n, 1, MaxAttempts) : 1;
}
