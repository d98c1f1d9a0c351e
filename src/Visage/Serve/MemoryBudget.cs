using System.Runtime.InteropServices;

namespace Visage.Serve;

/// <summary>
/// Keeps the service's memory near what it uses rather than what a large machine lets it keep (docs/RELIABILITY.md,
/// "Memory"). Managed: requests allocate large short-lived buffers (decoded photos up to 120 MB, bodies up to 20 MB),
/// which the collector of a machine with plenty of RAM lets pile up to well over a gigabyte; so once
/// <see cref="Allocation"/> bytes were allocated since the last full collection, one is started (in the background),
/// in the aggressive mode that also gives the freed memory back to the system: a forced collection freed a 40 MP
/// photo's 120 MB but kept it committed, so each large photo in a row left the service 50-150 MB larger (three
/// 7200x5500 photos one after the other: 406, 450, 541 MB resident against 402, 405, 411 now).
/// Native (glibc): the allocator's dynamic mmap threshold grows to 32 MB after large blocks are freed, after which such
/// blocks stay in its heaps instead of going back to the system; a fixed threshold and two arenas keep them returned.
/// </summary>
public sealed class MemoryBudget : BackgroundService
{
    /// <summary>Bytes allocated between two full collections, at most.</summary>
    public const long Allocation = 64L << 20;

    private static readonly TimeSpan Check = TimeSpan.FromMilliseconds(250);

    /// <summary>Sets the native allocator's limits (glibc only; elsewhere nothing happens).</summary>
    public static void TuneNativeAllocator()
    {
        if (!OperatingSystem.IsLinux()) return;
        try
        {
            _ = Mallopt(MallocArenaMax, 2);
            _ = Mallopt(MallocMmapThreshold, 1 << 20); // blocks of 1 MB and more: mapped and unmapped, never kept
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException) { } // not glibc (musl): its own rules
    }

    protected override async Task ExecuteAsync(CancellationToken stop)
    {
        Interlocked.Exchange(ref _collectedAt, GC.GetTotalAllocatedBytes());
        using var timer = new PeriodicTimer(Check);
        while (await timer.NextAsync(stop))
            if (GC.GetTotalAllocatedBytes() - Interlocked.Read(ref _collectedAt) >= Allocation) ReturnFreedMemory();
    }

    // Bytes allocated in the process when the last collection ran, by either caller: a large photo's collection
    // resets the periodic one's count, so the two do not run back to back.
    private static long _collectedAt;

    /// <summary>
    /// A full, compacting collection that also gives what it frees back to the system (also run by
    /// <see cref="InferenceGate"/> after each large photo, before the next one may start).
    /// </summary>
    public static void ReturnFreedMemory()
    {
        System.Runtime.GCSettings.LargeObjectHeapCompactionMode = System.Runtime.GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        Interlocked.Exchange(ref _collectedAt, GC.GetTotalAllocatedBytes());
    }

    // glibc's mallopt parameters (malloc.h).
    private const int MallocMmapThreshold = -3, MallocArenaMax = -8;

    [DllImport("libc", EntryPoint = "mallopt")]
    private static extern int Mallopt(int parameter, int value);
}
