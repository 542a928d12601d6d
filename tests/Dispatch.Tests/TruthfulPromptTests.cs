using System.Text.RegularExpressions;
using Alice.Dispatch.DevPhone;
using Alice.Dispatch.Tests.Support;

namespace Alice.Dispatch.Tests;

/// <summary>
/// Until a partner has confirmed, the caller hears that the taxi is being booked: never that it is
/// coming or confirmed, never that someone expects them, never that they may hang up. Calls where the
/// partner confirms late or never, in each language.
/// </summary>
public class TruthfulPromptTests
{
    /// <summary>What may be said only once a partner has confirmed, per spoken locale.</summary>
    private static readonly Dictionary<string, Regex> OnlyAfterConfirmation = new()
    {
        ["fr-BE"] = new(@"va venir|vient vous|est confirmé|arrive|vous attend|raccroch", RegexOptions.IgnoreCase),
        ["nl-BE"] = new(@"komt u|is bevestigd|onderweg|is er over|wacht iemand|inleggen|leg in", RegexOptions.IgnoreCase),
        ["en-GB"] = new(@"is coming|will come|is confirmed|on its way|will be there|expecting you|hang up", RegexOptions.IgnoreCase),
    };

    public static TheoryData<string> Callers => new() { "-1", "21", "31" };

    [Theory]
    [MemberData(nameof(Callers))]
    public async Task A_partner_that_confirms_late_is_announced_only_once_it_has_confirmed(string keys)
    {
        await using var fleet = await Fleet.StartAsync(partners: 1, budgetPerPartnerSeconds: 10, attemptTimeoutSeconds: 5);
        // The partner answers the booking only after several of the caller's waiting rounds.
        fleet.Partners[0].Faults.Set(new() { LatencyMs = 2000 });

        var call = fleet.App.Call();
        await call.PlayAsync(keys);

        var said = Said(call);
        var confirmedAt = said.FindIndex(l => Regex.IsMatch(l.Text, "^(Votre taxi est confirmé|Uw taxi is bevestigd|Your taxi is confirmed)"));
        Assert.True(confirmedAt > 0, call.Text());
        AssertNothingPromised(said.Take(confirmedAt), call);
        // Before it, that the taxi is being booked (said with the code: the wait's reassurances are 16 s apart or more).
        Assert.Contains(said.Take(confirmedAt), l => Regex.IsMatch(l.Text, "^(Je réserve un taxi|Ik reserveer een gratis taxi|I am booking a free taxi)"));
        // Once confirmed, all of it: coming, expected at the centre, free to hang up.
        Assert.Matches(OnlyAfterConfirmation[said[confirmedAt].Language!], string.Join(" ", said.Skip(confirmedAt).Select(l => l.Text)));
        Assert.True(call.Ended);
    }

    [Theory]
    [MemberData(nameof(Callers))]
    public async Task A_partner_that_never_confirms_leaves_the_caller_with_a_person_and_no_promise(string keys)
    {
        await using var fleet = await Fleet.StartAsync(partners: 1, budgetPerPartnerSeconds: 1, handOverAfterSeconds: 3);
        fleet.Partners[0].Faults.Set(new() { DownUntil = DateTimeOffset.UtcNow.AddMinutes(5) });

        var call = fleet.App.Call();
        await call.PlayAsync(keys);

        AssertNothingPromised(Said(call), call);
        Assert.NotNull(call.CodeHeard());
        Assert.Contains(call.Transcript, l => l.Text.StartsWith($"bridged to {DispatchApp.AlmaHumanLine}"));
    }

    /// <summary>What Alice said; each sentence is checked to be in a voice that speaks its language.</summary>
    private static List<CallLine> Said(SimulatedCall call)
    {
        var said = call.Transcript.Where(l => l.Who == "alice").ToList();
        Assert.All(said, l => Assert.Equal(l.Language, Campuses.SpeakingVoices.Known[l.Voice!]));
        return said;
    }

    private static void AssertNothingPromised(IEnumerable<CallLine> said, SimulatedCall call)
    {
        foreach (var line in said)
            Assert.False(OnlyAfterConfirmation[line.Language!].IsMatch(line.Text), $"said before confirmation: \"{line.Text}\"\n{call.Text()}");
    }
}
