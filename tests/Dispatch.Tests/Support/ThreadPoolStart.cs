using System.Runtime.CompilerServices;

namespace Alice.Dispatch.Tests.Support;

/// <summary>
/// This test process hosts dozens of services at once, two test classes at a time, and some of their
/// work blocks a pool thread (SQLite's busy wait, Data Protection's synchronous key ring reads, starting a
/// shared simulator). The pool adds threads only about twice a second, so a burst of such work starved the
/// services' own background loops: a loaded run saw a booking job wait 15 s for a thread. A service
/// process hosts one service, and never sees that crowd.
/// </summary>
internal static class ThreadPoolStart
{
    [ModuleInitializer]
    internal static void Initialize()
    {
        var threads = Math.Max(64, Environment.ProcessorCount * 16);
        ThreadPool.SetMinThreads(threads, threads);
    }
}
