using Alice.Dispatch.Campuses;
using Alice.Dispatch.Centre;
using Alice.Dispatch.Retention;
using Alice.Dispatch.Twilio;

namespace Alice.Dispatch.Texting;

/// <summary>
/// The centre's written answer, sent to the sender of a text conversation from the campus's number: the number
/// is read here, for Twilio only, and never reaches the console. Twilio's record of the message is deleted as
/// a car message's is.
/// </summary>
internal sealed class WrittenReplies(Conversations conversations, CampusDirectory campuses, TwilioRest twilio, TwilioRecords records) : IWrittenReplies
{
    public async Task<bool> SendAsync(string conversationId, string text, CancellationToken ct)
    {
        if (await conversations.ByIdAsync(conversationId, ct) is not { } conversation || campuses.ById(conversation.CampusId) is not { } campus) return false;
        var sid = await twilio.SendSmsAsync(conversation.Number, campus.HotlineNumber, text, ct);
        await records.QueueDeletionAsync(TwilioRecord.Message, sid, ct);
        return true;
    }

    public Task<IReadOnlySet<string>> StillHeldAsync(IReadOnlyList<string> conversationIds, CancellationToken ct) => conversations.HeldAsync(conversationIds, ct);
}
