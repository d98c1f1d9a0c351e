using Visage.Serve;

namespace Visage.Cli.Tests.Service;

/// <summary>
/// The gate admits images by pixels in flight, not only by count: with a budget of 100 pixels and two slots, two
/// images of 60 pixels are analyzed one after the other while two of 40 go side by side.
/// </summary>
public sealed class InferenceGateTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan Settle = TimeSpan.FromMilliseconds(300);

    private static InferenceGate Gate() => new(new ServiceOptions { Database = "unused.db", MaxPixels = 100, MaxConcurrency = 2, QueueLimit = 2 });

    /// <summary>A piece of work that says when it started and runs until released.</summary>
    private sealed class HeldWork : IDisposable
    {
        public ManualResetEventSlim Started { get; } = new();
        public ManualResetEventSlim Release { get; } = new();

        public int Run()
        {
            Started.Set();
            Release.Wait(Wait);
            return 1;
        }

        public void Dispose()
        {
            Started.Dispose();
            Release.Dispose();
        }
    }

    /// <summary>Starts an image of <paramref name="first"/> pixels, then one of <paramref name="second"/>: the second must wait until the first is done.</summary>
    private static async Task SecondWaitsForFirst(long first, long second)
    {
        using var gate = Gate();
        using HeldWork a = new(), b = new();
        var runA = gate.RunAsync(first, a.Run, CancellationToken.None);
        Assert.True(a.Started.Wait(Wait));
        var runB = gate.RunAsync(second, b.Run, CancellationToken.None);

        Assert.False(b.Started.Wait(Settle)); // a slot is free, but not the pixels
        a.Release.Set();
        await runA;
        Assert.True(b.Started.Wait(Wait));
        b.Release.Set();
        await runB;
    }

    [Fact]
    public Task TwoImagesOverTheBudgetTogether_RunOneAfterTheOther() => SecondWaitsForFirst(60, 60);

    [Fact]
    public async Task ImagesThatFitTogether_RunSideBySide()
    {
        using var gate = Gate();
        using HeldWork first = new(), second = new();
        var a = gate.RunAsync(40, first.Run, CancellationToken.None);
        var b = gate.RunAsync(40, second.Run, CancellationToken.None);

        Assert.True(first.Started.Wait(Wait));
        Assert.True(second.Started.Wait(Wait));
        first.Release.Set();
        second.Release.Set();
        Assert.Equal(new[] { 1, 1 }, await Task.WhenAll(a, b));
    }

    [Fact]
    public Task AnImageOverTheWholeBudget_TakesItAllRatherThanWaitingForever() => SecondWaitsForFirst(1_000, 1);

    [Fact]
    public async Task ALargePhotosPixels_AreCollectedBeforeTheNextLargePhotoStarts()
    {
        // Two photos over half of a 20 MP budget: the second starts only after a full collection that followed the
        // first, so the first one's decoded pixels are gone before the second decodes its own.
        const long large = InferenceGate.LargePhotoPixels + 2_000_000;
        using var gate = new InferenceGate(new ServiceOptions { Database = "unused.db", MaxPixels = 2 * large - 1, MaxConcurrency = 2, QueueLimit = 2 });
        var collectionsAtFirstEnd = -1;
        var collectionsAtSecondStart = -1;
        var first = gate.RunAsync(large, () => collectionsAtFirstEnd = GC.CollectionCount(2), CancellationToken.None);
        var second = gate.RunAsync(large, () => collectionsAtSecondStart = GC.CollectionCount(2), CancellationToken.None);
        await Task.WhenAll(first, second).WaitAsync(Wait);
        Assert.True(collectionsAtSecondStart > collectionsAtFirstEnd, $"gen2 collections: {collectionsAtFirstEnd} when the first ended, {collectionsAtSecondStart} when the second began");
    }
}
