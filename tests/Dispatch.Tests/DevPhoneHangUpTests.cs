using Alice.Dispatch.Tests.Support;

namespace Alice.Dispatch.Tests;

/// <summary>The development phone's caller hanging up in the middle of a step, as a real caller may while Alice waits for a taxi.</summary>
public class DevPhoneHangUpTests
{
    [Fact]
    public async Task A_caller_hanging_up_while_alice_waits_for_the_partner_stops_the_wait_and_the_service_gets_the_calls_end()
    {
        await using var partner = new PartnerSimulatorHost();
        await partner.InitializeAsync();
        partner.Faults.Set(new() { DownUntil = DateTimeOffset.UtcNow.AddMinutes(5) }); // no taxi confirms: Alice keeps the caller waiting
        await using var app = new DispatchApp(partner);
        var call = app.Call();
        await call.StartAsync();
        await call.WaitAsync(); // French
        await call.PressAsync('1'); // the first pickup point: the code, and what may be pressed meanwhile
        var heard = call.Transcript.Count;
        var waiting = call.WaitAsync(); // nothing pressed: the wait for a taxi
        await Eventually.True(() => call.Transcript.Count > heard + 1, "Alice spoke in the wait", TimeSpan.FromSeconds(10));
        Assert.False(waiting.IsCompleted, "the step was over before the caller could hang up during it:\n" + call.Text());

        await call.HangUpAsync();

        await waiting.WaitAsync(TimeSpan.FromSeconds(5)); // stopped, without an error
        Assert.True(call.Ended);
        Assert.False(call.AwaitingKey);
        Assert.Equal(["Caller: hangs up", "  (call ended)"], call.Transcript.TakeLast(2).Select(l => l.ToString()));
        Assert.Equal(1, await app.ScalarAsync("SELECT COUNT(*) FROM ended_calls;")); // the status callback reached the service
    }
}
