namespace Visage.Tests;

/// <summary>Work items run side by side come back in order, fail as they failed, and never wait for a busy pool.</summary>
[Collection(ThreadPoolLimitCollection.Name)]
public sealed class AcrossCoresTests
{
    [Fact]
    public void Results_ComeBackInTheItemsOrder()
    {
        var items = Enumerable.Range(0, 50).ToList();

        var results = AcrossCores.Map(items, i =>
        {
            Thread.SpinWait(1000 * (50 - i)); // later items finish sooner if run side by side
            return i * i;
        });

        Assert.Equal(items.Select(i => i * i), results);
    }

    [Fact]
    public void AnItemsException_IsRethrownAsItWas_AfterEveryItemFinished()
    {
        var finished = 0;

        var e = Assert.Throws<InvalidDataException>(() => AcrossCores.Map(Enumerable.Range(0, 8).ToList(), i =>
        {
            if (i == 3) throw new InvalidDataException("item 3");
            Thread.Sleep(20);
            Interlocked.Increment(ref finished);
            return i;
        }));

        Assert.Equal("item 3", e.Message);
        Assert.Equal(7, Volatile.Read(ref finished));
    }

    [Fact]
    public void WithEveryPoolThreadBusy_TheCallerRunsEveryItemItself()
    {
        ThreadPool.GetMaxThreads(out var maxWorkers, out var maxIo);
        ThreadPool.GetMinThreads(out var minWorkers, out var minIo);
        var cores = Environment.ProcessorCount;
        var release = new ManualResetEventSlim(); // not disposed: the blockers still read it after the test
        try
        {
            // More blockers than the pool may have threads: every thread it has or makes takes one (the global queue is
            // first in, first out), so a helper queued after them cannot start before the release.
            Assert.True(ThreadPool.SetMinThreads(1, minIo));
            Assert.True(ThreadPool.SetMaxThreads(cores, maxIo));
            for (var t = 0; t <= cores; t++) ThreadPool.UnsafeQueueUserWorkItem(_ => release.Wait(), null);

            var threads = new int[4];
            int[]? results = null;
            var caller = new Thread(() => results = AcrossCores.Map([0, 1, 2, 3], i =>
            {
                threads[i] = Environment.CurrentManagedThreadId;
                return i;
            }));
            caller.Start();

            Assert.True(caller.Join(TimeSpan.FromSeconds(30)), "Map waited for a pool thread that could not start");
            Assert.Equal([0, 1, 2, 3], results!);
            Assert.Equal([caller.ManagedThreadId], threads.Distinct());
        }
        finally
        {
            release.Set();
            ThreadPool.SetMaxThreads(maxWorkers, maxIo);
            ThreadPool.SetMinThreads(minWorkers, minIo);
        }
    }
}

/// <summary>Tests that limit the process's thread pool run alone, after the others.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ThreadPoolLimitCollection
{
    public const string Name = "thread pool limit";
}
