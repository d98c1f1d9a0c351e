using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Visage.Cli.Bench;

/// <summary>
/// What this machine can do at best, measured the same run: fp32 fused multiply-add throughput (the peak every
/// network's GFLOP/s is compared with) and streaming-read bandwidth (the limit of a gallery scan), each on one
/// thread and on all cores.
/// </summary>
public sealed record MachineLimits(double PeakGflops1, double PeakGflopsAll, double ReadGBs1, double ReadGBsAll, int Cores)
{
    /// <summary>Measures both limits, best of <paramref name="repeats"/> tries each.</summary>
    public static MachineLimits Measure(int repeats, long streamBytes)
    {
        var cores = Environment.ProcessorCount;
        var buffer = GC.AllocateUninitializedArray<float>((int)(streamBytes / sizeof(float)));
        buffer.AsSpan().Fill(1f); // touch every page before timing
        double Best(Func<double> f) => Enumerable.Range(0, repeats).Max(_ => f());
        return new MachineLimits(
            Best(() => FmaGflops(1)), Best(() => FmaGflops(cores)),
            Best(() => ReadGBs(buffer, 1)), Best(() => ReadGBs(buffer, cores)), cores);
    }

    // 12 independent accumulators hide the FMA latency (4 cycles x 2 pipes on Zen 4, and more on other cores).
    private const int Accumulators = 12;
    private const int FmaIterations = 4_000_000;

    private static double FmaGflops(int threads)
    {
        var flopsPerThread = (double)FmaIterations * Accumulators * Vector512<float>.Count * 2;
        return threads * flopsPerThread / (OnThreads(threads, t => FmaLoop(1f + t)) * 1e6);
    }

    /// <summary>
    /// Milliseconds from a common start until the last of <paramref name="threads"/> dedicated threads finishes
    /// (the thread pool may start its second worker late, which would time the threads one after the other).
    /// </summary>
    private static double OnThreads(int threads, Action<int> work)
    {
        using var ready = new CountdownEvent(threads);
        using var go = new ManualResetEventSlim();
        var workers = Enumerable.Range(0, threads).Select(t => new Thread(() =>
        {
            ready.Signal();
            go.Wait();
            work(t);
        })
        { IsBackground = true }).ToList();
        workers.ForEach(w => w.Start());
        ready.Wait();
        var start = System.Diagnostics.Stopwatch.GetTimestamp();
        go.Set();
        workers.ForEach(w => w.Join());
        return System.Diagnostics.Stopwatch.GetElapsedTime(start).TotalMilliseconds;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static float FmaLoop(float seed)
    {
        var m = Vector512.Create(0.999999f);
        var a = Vector512.Create(1e-7f);
        Vector512<float> v0 = Vector512.Create(seed), v1 = v0 + a, v2 = v1 + a, v3 = v2 + a, v4 = v3 + a, v5 = v4 + a;
        Vector512<float> v6 = v5 + a, v7 = v6 + a, v8 = v7 + a, v9 = v8 + a, v10 = v9 + a, v11 = v10 + a;
        for (var i = 0; i < FmaIterations; i++)
        {
            v0 = Vector512.FusedMultiplyAdd(v0, m, a); v1 = Vector512.FusedMultiplyAdd(v1, m, a);
            v2 = Vector512.FusedMultiplyAdd(v2, m, a); v3 = Vector512.FusedMultiplyAdd(v3, m, a);
            v4 = Vector512.FusedMultiplyAdd(v4, m, a); v5 = Vector512.FusedMultiplyAdd(v5, m, a);
            v6 = Vector512.FusedMultiplyAdd(v6, m, a); v7 = Vector512.FusedMultiplyAdd(v7, m, a);
            v8 = Vector512.FusedMultiplyAdd(v8, m, a); v9 = Vector512.FusedMultiplyAdd(v9, m, a);
            v10 = Vector512.FusedMultiplyAdd(v10, m, a); v11 = Vector512.FusedMultiplyAdd(v11, m, a);
        }
        return Vector512.Sum(v0 + v1 + v2 + v3 + v4 + v5 + v6 + v7 + v8 + v9 + v10 + v11);
    }

    private static double ReadGBs(float[] buffer, int threads)
    {
        var chunk = buffer.Length / threads;
        var ms = OnThreads(threads, t => StreamSum(buffer.AsSpan(t * chunk, chunk)));
        return (double)chunk * threads * sizeof(float) / (ms * 1e6);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static float StreamSum(ReadOnlySpan<float> data)
    {
        Vector512<float> s0 = default, s1 = default, s2 = default, s3 = default;
        var n = data.Length - data.Length % (4 * Vector512<float>.Count);
        ref var start = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(data);
        for (var i = 0; i < n; i += 4 * Vector512<float>.Count)
        {
            s0 += Vector512.LoadUnsafe(ref start, (nuint)i);
            s1 += Vector512.LoadUnsafe(ref start, (nuint)(i + 16));
            s2 += Vector512.LoadUnsafe(ref start, (nuint)(i + 32));
            s3 += Vector512.LoadUnsafe(ref start, (nuint)(i + 48));
        }
        return Vector512.Sum(s0 + s1 + s2 + s3);
    }
}
