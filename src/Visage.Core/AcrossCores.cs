using System.Runtime.ExceptionServices;

namespace Visage;

/// <summary>
/// Runs a few independent pieces of work at once, one per core: the calling thread and up to one thread-pool thread
/// per other core take the items in turn. The networks small enough that their own layers cannot keep two cores busy
/// (the landmark net, a batch of two descriptors, a Tiny tile) finish sooner side by side than one after the other,
/// each still on ONNX Runtime's shared threads (docs/BENCHMARKS.md, "Small networks side by side"); so do the two
/// halves of a large JPEG, which libjpeg-turbo would decode on one core ("A large JPEG decoded in two halves").
/// </summary>
public static class AcrossCores
{
    /// <summary>Whether there is another core to share work with: where there is not, splitting work only adds its cost.</summary>
    public static bool HasOtherCores => Environment.ProcessorCount > 1;

    /// <summary>
    /// <paramref name="work"/> of every item, in order. The caller never waits for a thread-pool thread to start: a
    /// helper that starts late finds nothing left, and the caller only waits for the items a helper already took.
    /// The first exception of an item is rethrown as it was, once every item has finished.
    /// </summary>
    public static TResult[] Map<TItem, TResult>(IReadOnlyList<TItem> items, Func<TItem, TResult> work)
    {
        var results = new TResult[items.Count];
        var helpers = Math.Min(Environment.ProcessorCount, items.Count) - 1;
        if (helpers < 1)
        {
            for (var i = 0; i < items.Count; i++) results[i] = work(items[i]);
            return results;
        }

        var next = -1;
        ExceptionDispatchInfo? failure = null;
        using var finished = new CountdownEvent(items.Count);
        void Drain()
        {
            for (int i; (i = Interlocked.Increment(ref next)) < items.Count; finished.Signal())
            {
                try
                {
                    results[i] = work(items[i]);
                }
                catch (Exception e)
                {
                    Interlocked.CompareExchange(ref failure, ExceptionDispatchInfo.Capture(e), null);
                }
            }
        }
        for (var h = 0; h < helpers; h++) ThreadPool.UnsafeQueueUserWorkItem(_ => Drain(), null);
        Drain();
        finished.Wait();
        failure?.Throw();
        return results;
    }
}
