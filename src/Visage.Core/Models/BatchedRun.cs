namespace Visage.Models;

/// <summary>Runs a per-item net (chips in, one output row per chip) in batches of bounded size.</summary>
internal static class BatchedRun
{
    /// <summary>
    /// The most items one run takes. ONNX Runtime's CPU arena keeps the largest activations it ever held, so one photo
    /// with 60 faces run as one batch grew <c>visage serve</c> by about 380 MB for good (measured: 418 MB resident
    /// before, 795 MB after two such photos); batches of 8 cost what a group photo costs anyway.
    /// </summary>
    public const int MaxItems = 8;

    /// <summary>
    /// The net's first output for <paramref name="count"/> items laid one after another in <paramref name="input"/>
    /// (each of shape <paramref name="itemShape"/>), run <see cref="MaxItems"/> at a time, concatenated in order.
    /// </summary>
    public static float[] RunInBatches(this OnnxNet net, float[] input, int count, long[] itemShape)
    {
        var item = (int)itemShape.Aggregate(1L, (a, b) => a * b);
        float[]? all = null;
        for (var start = 0; start < count; start += MaxItems)
        {
            var n = Math.Min(MaxItems, count - start);
            var output = net.Run(input.AsMemory(start * item, n * item), [n, .. itemShape])[0];
            var row = output.Length / n;
            all ??= new float[row * count];
            output.CopyTo(all, start * row);
        }
        return all ?? [];
    }
}
