using Alice.Dispatch.Booking;
using Alice.Dispatch.Campuses;
using Alice.Dispatch.Centre;
using Alice.Dispatch.Messages;
using Alice.Dispatch.Rides;
using Alice.Web;

namespace Alice.Dispatch.Texting;

/// <summary>
/// The conversation by text message, one method a message: the voice menu's choices, written. A first message
/// gets the pickup points numbered and "0 for a person"; a number books through the voice menu's own path (the
/// same abuse limits, the same desk, code and partners); "1" repeats the latest state; "0", or a message not
/// understood twice, asks a person, who answers from the centre's console in writing. The car, its plate and
/// ETA come as the voice caller's car message does (<see cref="SmsConsents"/>, <see cref="CarMessenger"/>).
/// </summary>
internal sealed class TextConversation(Conversations conversations, BookingDesk booking,
    RideStore rides, SmsConsents carMessages, AlertStore alerts)
{
    /// <summary>A message not understood is answered with the menu once; the second goes to a person.</summary>
    private const int MaxNotUnderstood = 2;

    /// <summary>The reply to one message from <paramref name="from"/> to the campus's number.</summary>
    public async Task<string> AnswerAsync(HotlineOptions.Campus campus, string from, string body, CallerAnswer answer, CancellationToken ct)
    {
        var words = body.Trim();
        var conversation = await conversations.FindAsync(campus.Id, from, ct);
        if (conversation is null)
        {
            conversation = await conversations.StartAsync(campus.Id, from, TextWords.LanguageOf(words), ct);
            return words == "0" ? await PersonAsync(conversation, campus, TextWords.Person, ct) : Menu(campus, conversation.Language, notUnderstood: false);
        }
        var language = conversation.Language;
        if (TextWords.Keyword(words) is { } chosen)
        {
            await conversations.SetLanguageAsync(conversation, chosen, ct);
            return conversation.RideId is null ? Menu(campus, chosen, notUnderstood: false) : await StateAsync(conversation with { Language = chosen }, campus, ct);
        }
        if (words == "0") return await PersonAsync(conversation, campus, TextWords.Person, ct);
        if (conversation.RideId is not null && words == "1") return await StateAsync(conversation, campus, ct);
        var point = conversation.RideId is null && words is [var key and >= '1' and <= '9'] && key - '1' < campus.PickupPoints.Count
            ? campus.PickupPoints[key - '1']
            : null;
        if (point is not null) return await BookAsync(conversation, campus, point, answer);

        if (await conversations.NotUnderstoodAsync(conversation.Id, ct) >= MaxNotUnderstood)
            return await PersonAsync(conversation, campus, TextWords.Person, ct);
        return conversation.RideId is null
            ? Menu(campus, language, notUnderstood: true)
            : TextWords.NotUnderstood.In(language.Code) + " " + await StateAsync(conversation, campus, ct);
    }

    /// <summary>
    /// A pickup point chosen: the voice menu's booking, under the same limits. The conversation stands for the
    /// call (its id is the "call" the desk keys the ride by), so a second choice finds the same ride.
    /// </summary>
    private async Task<string> BookAsync(Conversation conversation, HotlineOptions.Campus campus, HotlineOptions.PickupPoint point, CallerAnswer answer)
    {
        var language = conversation.Language;
        var booked = await booking.BookWithinLimitsAsync(campus.Id, point.Id, conversation.Number, CallOf(conversation.Id), language, answer, Channel.Text);
        // Over a limit, the sender is told why; after a failure, only that a person arranges the taxi.
        if (booked.Ride is not { } ride)
            return await PersonAsync(conversation, campus, booked.Outcome == AttemptOutcome.CallerLimit ? TextWords.CallerLimit : TextWords.CampusBusy, CancellationToken.None);
        await conversations.SetRideAsync(conversation.Id, ride.Id, CancellationToken.None);
        // The car, plate and ETA are texted as the voice caller's are: the number held for it as theirs is, until the car is named.
        await carMessages.HoldAsync(ride, conversation.Number, CancellationToken.None);
        return TextWords.Format(TextWords.Code, language, TextWords.Spaced(ride.BookingCode), point.Names[language.Code]);
    }

    /// <summary>"1": where the ride is now, in one text.</summary>
    private async Task<string> StateAsync(Conversation conversation, HotlineOptions.Campus campus, CancellationToken ct)
    {
        await conversations.UnderstoodAsync(conversation.Id, ct);
        var ride = conversation.RideId is null ? null : await rides.FindAsync(conversation.RideId, ct);
        var language = conversation.Language;
        if (ride is null) return Menu(campus, language, notUnderstood: false);
        if (ride.Status == RideStatus.NeedsPerson) return TextWords.HandedOver.In(language.Code);
        if (booking.IsConfirmed(ride)) return CarMessageTexts.For(ride with { Language = language }, change: false);
        return TextWords.Format(TextWords.StillBooking, language, TextWords.Spaced(ride.BookingCode));
    }

    /// <summary>A person is asked, once a conversation: an alert on the centre's board and the on-call phone; the centre answers in writing.</summary>
    private async Task<string> PersonAsync(Conversation conversation, HotlineOptions.Campus campus, Text said, CancellationToken ct)
    {
        if (await conversations.AskPersonAsync(conversation.Id, ct))
            await alerts.RaiseWrittenAsync(WrittenAlerts.Subject(campus.Id, conversation.Id), campus.Id, ct);
        return said.In(conversation.Language.Code);
    }

    private static string Menu(HotlineOptions.Campus campus, Language language, bool notUnderstood)
    {
        var options = campus.PickupPoints.Select((p, i) => TextWords.Format(TextWords.PickupOption, language, p.Names[language.Code], i + 1));
        return string.Join(" ", [
            notUnderstood ? TextWords.NotUnderstood.In(language.Code) : "",
            TextWords.PickupQuestion.In(language.Code),
            .. options,
            TextWords.PersonOption.In(language.Code),
            TextWords.LanguageOffer.In(language.Code)]).Trim();
    }

    /// <summary>What the booking desk keys the ride by: the conversation's random id, never the number.</summary>
    public static string CallOf(string conversationId) => "text:" + conversationId;
}
