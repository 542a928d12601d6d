using Alice.Dispatch.Campuses;
using Alice.Dispatch.Centre;
using Alice.Dispatch.Messages;
using Alice.Dispatch.Privacy;
using Alice.Dispatch.Retention;
using Alice.Dispatch.Rides;
using Alice.Dispatch.Storage;
using Alice.Dispatch.Twilio;
using Microsoft.Extensions.Options;
using Quartz;

namespace Alice.Dispatch.Texting;

/// <summary>
/// Erases each text conversation, and so the sender's number, as soon as its ride needs no more replies (the
/// passenger on board or at the centre, the ride with a person, ended or gone) or two hours after the first
/// message, whichever comes first. A ride handed to a person is told so first, in one last text. The ride's
/// key leaves it as a call's does when the call ends: nothing ties the ride to the conversation any more.
/// Written alerts, which belong to no ride, go once resolved, as long after as a ride's alerts would.
/// </summary>
internal sealed class ConversationSweep(Conversations conversations, RideStore rides, CampusDirectory campuses, TwilioRest twilio, TwilioRecords records,
    Database database, EndedCalls ended, CallKeys keys, AlertStore alerts, IOptions<RetentionOptions> retention, TimeProvider clock, ILogger<ConversationSweep> logger)
{
    public async Task RunAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await alerts.DeleteResolvedWrittenAsync(now - retention.Value.DeleteAfterEnd, ct);
        var held = await conversations.AllAsync(ct);
        if (held.Count == 0) return;
        var erased = 0;
        foreach (var conversation in held)
        {
            var ride = conversation.RideId is null ? null : await rides.FindAsync(conversation.RideId, ct);
            if (now < conversation.ExpiresAt && (conversation.RideId is null || !CarMessagePlan.IsOver(ride))) continue;
            if (ride?.Status == RideStatus.NeedsPerson && now < conversation.ExpiresAt && !await TellHandedOverAsync(conversation, ct)) continue;
            await EraseAsync(conversation, now, ct);
            erased++;
        }
        // Once a look, not once a number: what was erased leaves the database's files now.
        if (erased > 0) await conversations.ScrubErasedAsync(ct);
    }

    /// <summary>The last text of a ride no taxi took; false when Twilio failed and it is to be tried again.</summary>
    private async Task<bool> TellHandedOverAsync(Conversation conversation, CancellationToken ct)
    {
        if (campuses.ById(conversation.CampusId) is not { } campus) return true;
        try
        {
            var sid = await twilio.SendSmsAsync(conversation.Number, campus.HotlineNumber, TextWords.HandedOver.In(conversation.Language.Code), ct);
            await records.QueueDeletionAsync(TwilioRecord.Message, sid, ct);
            return true;
        }
        catch (TwilioRestException e) when (e.IsRefusedForGood)
        {
            return true;
        }
        catch (Exception e) when (e is HttpRequestException or TwilioRestException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            logger.LogWarning("A text conversation's last message could not be sent ({Error}); trying again", e.GetType().Name);
            return false;
        }
    }

    private async Task EraseAsync(Conversation conversation, DateTimeOffset now, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        if (conversation.RideId is not null) await ended.AddAsync(tx, keys.For(TextConversation.CallOf(conversation.Id)), retention.Value.EndedCallUntil(now), ct);
        await conversations.EraseAsync(tx, conversation.Id, ct);
        await tx.CommitAsync(ct);
    }
}

/// <summary>Every few seconds, as the car messages: conversations whose number has served are erased.</summary>
[DisallowConcurrentExecution]
internal sealed class ConversationSweepJob(ConversationSweep sweep) : IJob
{
    public static readonly JobKey Key = new("text-conversations");
    public ValueTask Execute(IJobExecutionContext context, CancellationToken ct) => new(sweep.RunAsync(ct));
}

/// <summary>The conversations' sweep, as often as the car messages are looked at (no job data: the numbers stay in their table).</summary>
internal sealed class ConversationSweeps(IOptions<MessagesOptions> options) : RecurringJobSet
{
    public override IEnumerable<(Type, JobKey, TimeSpan)> Jobs => [(typeof(ConversationSweepJob), ConversationSweepJob.Key, options.Value.SendEvery)];
}
