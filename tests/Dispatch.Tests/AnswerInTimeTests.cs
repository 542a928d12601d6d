using Alice.Dispatch.Telephony;
using Alice.Dispatch.Twilio;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Alice.Dispatch.Tests;

/// <summary>
/// The time limit every /twilio step answers within, on a fake clock and with stub steps: nothing sleeps,
/// the limit passes when the test moves the clock.
/// </summary>
public class AnswerInTimeTests
{
    private static readonly IResult Bridged = Results.Text("bridged");
    private static readonly IResult Code = Results.Text("code");

    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);
    private readonly DefaultHttpContext _http = new();
    private readonly AnswerInTime _filter = new(_ => Bridged, mayBlock: true);

    public AnswerInTimeTests() =>
        _http.RequestServices = new ServiceCollection()
            .AddSingleton<TimeProvider>(_clock)
            .AddSingleton(Options.Create(new TwilioOptions { AnswerWithinSeconds = 5 }))
            .AddSingleton(typeof(Microsoft.Extensions.Logging.ILogger<>), typeof(NullLogger<>))
            .BuildServiceProvider();

    /// <summary>The filter's answer, once the step has begun (it runs on a thread of its own) and before the clock moves.</summary>
    private async Task<Task<object?>> Answer(Func<CallerAnswer, Task<object?>> step)
    {
        var begun = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var answer = _filter.InvokeAsync(EndpointFilterInvocationContext.Create(_http), _ =>
        {
            var running = step(AnswerInTime.For(_http));
            begun.SetResult();
            return new ValueTask<object?>(running);
        }).AsTask();
        await begun.Task;
        return answer;
    }

    [Fact]
    public async Task A_step_that_answers_in_time_is_heard_as_it_is()
    {
        Assert.Same(Code, await await Answer(_ => Task.FromResult<object?>(Code)));
    }

    [Fact]
    public async Task A_step_still_waiting_at_the_limit_is_answered_with_the_bridge_and_what_it_waits_for_is_given_up()
    {
        CallerAnswer? race = null;
        var stuck = new TaskCompletionSource<object?>();
        var answer = await Answer(r => { race = r; return stuck.Task; });

        _clock.Advance(TimeSpan.FromSeconds(4.9));
        Assert.False(answer.IsCompleted);
        _clock.Advance(TimeSpan.FromSeconds(0.1));

        Assert.Same(Bridged, await answer);
        Assert.True(race!.GivenUp.IsCancellationRequested);
        Assert.False(race.TryCommit()); // a ride it was writing is not committed now
        stuck.SetException(new TimeoutException()); // its late failure goes nowhere
    }

    [Fact]
    public async Task A_step_that_fails_is_answered_with_the_bridge()
    {
        Assert.Same(Bridged, await await Answer(_ => Task.FromException<object?>(new InvalidOperationException("the database is locked"))));
    }

    [Fact]
    public async Task A_step_that_committed_its_ride_before_the_limit_is_heard_even_when_it_answers_after()
    {
        var finishing = new TaskCompletionSource<object?>();
        var answer = await Answer(race => { Assert.True(race.TryCommit()); return finishing.Task; });

        _clock.Advance(TimeSpan.FromSeconds(6));
        Assert.False(answer.IsCompleted); // not bridged: the caller's code is on its way
        finishing.SetResult(Code);

        Assert.Same(Code, await answer);
    }

    [Fact]
    public async Task A_step_that_committed_and_then_failed_is_answered_with_the_bridge()
    {
        var answer = await Answer(race => { race.TryCommit(); return Task.FromException<object?>(new TimeoutException()); });
        Assert.Same(Bridged, await answer);
    }

    [Fact]
    public async Task A_menu_step_that_needs_no_database_is_answered_at_once_on_the_request_thread()
    {
        var thread = Environment.CurrentManagedThreadId;
        var ranOn = 0;
        var answer = new AnswerInTime(_ => Bridged, mayBlock: false).InvokeAsync(EndpointFilterInvocationContext.Create(_http), _ =>
        {
            ranOn = Environment.CurrentManagedThreadId;
            return ValueTask.FromResult<object?>(Code);
        });

        Assert.True(answer.IsCompletedSuccessfully, "the menu step's answer should be ready without a hop to another thread");
        Assert.Same(Code, await answer);
        Assert.Equal(thread, ranOn);
    }

    [Fact]
    public async Task A_menu_step_that_fails_before_it_awaits_anything_is_answered_with_the_bridge()
    {
        var answer = new AnswerInTime(_ => Bridged, mayBlock: false)
            .InvokeAsync(EndpointFilterInvocationContext.Create(_http), _ => throw new InvalidOperationException("a campus without pickup points"));
        Assert.Same(Bridged, await answer);
    }
}
