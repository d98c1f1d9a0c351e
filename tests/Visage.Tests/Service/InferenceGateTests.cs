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

    [Fact]
    public async Task TwoImagesOverTheBudgetTogether_RunOneAfterTheOther()
    {
        using var gate = Gate();
        using HeldWork first = new(), second = new();
        var a = gate.RunAsync(60, first.Run, CancellationToken.None);
        Assert.True(first.Started.Wait(Wait));
        var b = gate.RunAsync(60, second.Run, CancellationToken.None);

        Assert.False(second.Started.Wait(Settle)); // a slot is free, but not 60 more pixels
        first.Release.Set();
        await a;
        Assert.True(second.Started.Wait(Wait));
        second.Release.Set();
        await b;
    }

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
    public async Task AnImageOverTheWholeBudget_TakesItAllRatherThanWaitingForever()
    {
        using var gate = Gate();
        using HeldWork huge = new(), small = new();
        var a = gate.RunAsync(1_000, huge.Run, CancellationToken.None);
        Assert.True(huge.Started.Wait(Wait));
        var b = gate.RunAsync(1, small.Run, CancellationToken.None);

        Assert.False(small.Started.Wait(Settle));
        huge.Release.Set();
        await a;
        Assert.True(small.Started.Wait(Wait));
        small.Release.Set();
        await b;
    }
}
