using Alice.Dispatch.Twilio;

namespace Alice.Dispatch.Tests;

/// <summary>Twilio's words, each mapped once: what its webhooks post, and what a deletion still to do is stored under.</summary>
public class TwilioVocabularyTests
{
    [Fact]
    public void Each_call_status_is_read_from_the_word_twilio_posts_and_only_from_it()
    {
        string[] words = ["queued", "ringing", "in-progress", "completed", "busy", "failed", "no-answer", "canceled"];
        Assert.Equal(words, Enum.GetValues<CallStatus>().Select(s => s.Name()));
        Assert.All(Enum.GetValues<CallStatus>(), s => Assert.Equal(s, CallStatuses.Parse(s.Name())));
        // Twilio writes them in lower case: anything else is no status (a forged or broken callback records no end).
        Assert.Null(CallStatuses.Parse("COMPLETED"));
        Assert.Null(CallStatuses.Parse("answered"));
        Assert.Null(CallStatuses.Parse(null));
        Assert.Equal([CallStatus.Completed, CallStatus.Busy, CallStatus.Failed, CallStatus.NoAnswer, CallStatus.Canceled],
            Enum.GetValues<CallStatus>().Where(s => s.HasEnded()));
    }

    /// <summary>Rows written by older releases hold these resources: the mapping may never rename one.</summary>
    [Fact]
    public void A_record_s_resource_is_the_one_older_rows_hold()
    {
        Assert.Equal("Calls", TwilioRecord.Call.Resource());
        Assert.Equal("Messages", TwilioRecord.Message.Resource());
        Assert.All(Enum.GetValues<TwilioRecord>(), r => Assert.Equal(r, TwilioResources.Parse(r.Resource())));
        Assert.Null(TwilioResources.Parse("Recordings"));
    }
}
