using Alice.Dispatch.Storage.Sqlite;

namespace Alice.Dispatch.Tests;

/// <summary>One connection at a time; durable writes (someone waits on each) before job store work.</summary>
public class DatabaseGateTests
{
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(10);
    private readonly DatabaseGate _gate = new();

    [Fact]
    public async Task A_durable_write_goes_before_job_store_work_that_waited_longer()
    {
        Assert.True(await _gate.EnterAsync(first: false, Long, default));
        var jobStore = _gate.EnterAsync(first: false, Long, default);
        var durable = _gate.EnterAsync(first: true, Long, default);

        _gate.Leave();
        Assert.True(await durable.WaitAsync(Long));
        Assert.False(jobStore.IsCompleted);

        _gate.Leave();
        Assert.True(await jobStore.WaitAsync(Long));
    }

    [Fact]
    public async Task Within_a_line_the_first_to_wait_goes_first()
    {
        Assert.True(await _gate.EnterAsync(first: true, Long, default));
        var earlier = _gate.EnterAsync(first: true, Long, default);
        var later = _gate.EnterAsync(first: true, Long, default);

        _gate.Leave();
        Assert.True(await earlier.WaitAsync(Long));
        Assert.False(later.IsCompleted);
    }

    [Fact]
    public async Task A_waiter_that_times_out_leaves_the_line_and_the_gate_goes_to_the_next()
    {
        Assert.True(await _gate.EnterAsync(first: false, Long, default));
        Assert.False(await _gate.EnterAsync(first: true, TimeSpan.FromMilliseconds(50), default));
        var next = _gate.EnterAsync(first: false, Long, default);

        _gate.Leave();
        Assert.True(await next.WaitAsync(Long));
    }

    [Fact]
    public async Task A_cancelled_waiter_gets_an_exception_and_never_the_gate()
    {
        Assert.True(await _gate.EnterAsync(first: false, Long, default));
        using var cancel = new CancellationTokenSource();
        var cancelled = _gate.EnterAsync(first: true, Long, cancel.Token);
        var next = _gate.EnterAsync(first: false, Long, default);

        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        _gate.Leave();
        Assert.True(await next.WaitAsync(Long));
    }

    [Fact]
    public async Task A_blocking_open_waits_its_turn_without_another_thread_to_wake_it()
    {
        Assert.True(await _gate.EnterAsync(first: false, Long, default));
        var blocked = new Thread(() => Assert.True(_gate.Enter(first: false, Long)));
        blocked.Start();
        Assert.False(blocked.Join(TimeSpan.FromMilliseconds(100)));

        _gate.Leave();
        Assert.True(blocked.Join(Long));
        Assert.False(await _gate.EnterAsync(first: true, TimeSpan.FromMilliseconds(50), default)); // the thread holds it now
    }
}
