using Visage.Imaging;

namespace Visage.Models;

/// <summary>
/// The one way Visage feeds its networks: each input item is a region of an image, padded to a square, resized and
/// normalized as the network's <see cref="InputFormat"/> says (<see cref="SquareInput"/>), written straight into a
/// pooled NCHW buffer (no copy of the region). Many items run in batches of at most <see cref="MaxItems"/>.
/// </summary>
public static class SquareBatch
{
    /// <summary>
    /// The most items one run takes. ONNX Runtime's CPU arena keeps the largest activations it ever held, so one photo
    /// with 60 faces run as one batch grew <c>visage serve</c> by about 380 MB for good (measured: 418 MB resident
    /// before, 795 MB after two such photos); batches of 8 cost what a group photo costs anyway.
    /// </summary>
    public const int MaxItems = 8;

    /// <summary>Every output of the network for one region, at <paramref name="size"/> (default the format's).</summary>
    /// <param name="net">The network.</param>
    /// <param name="format">How the region becomes the input.</param>
    /// <param name="image">The image.</param>
    /// <param name="region">The part of the image (inside it, not empty).</param>
    /// <param name="size">Input side for networks that take several (the Tiny detector); 0 for the format's.</param>
    public static float[][] RunOne(this OnnxNet net, InputFormat format, RgbImage image, PixelRect region, int size = 0)
    {
        size = size > 0 ? size : format.Size;
        var buffer = OnnxNet.RentBuffer(3 * size * size);
        try
        {
            Write(format, size, image, region, buffer);
            return net.Run(buffer, [1, 3, size, size]);
        }
        finally
        {
            OnnxNet.ReturnBuffer(buffer);
        }
    }

    /// <summary>
    /// The network's first output for every region, run <see cref="MaxItems"/> at a time and concatenated in order
    /// (one row of <c>output length / items</c> values per region); with <see cref="ModelDescriptor.SplitBatches"/>, each
    /// batch runs as two halves side by side.
    /// </summary>
    public static float[] RunMany(this OnnxNet net, ModelDescriptor model, IReadOnlyList<(RgbImage Image, PixelRect Region)> items)
    {
        if (items.Count == 0) return [];
        float[]? all = null;
        for (var start = 0; start < items.Count; start += MaxItems)
        {
            var count = Math.Min(MaxItems, items.Count - start);
            var half = (count + 1) / 2;
            (int Start, int Count)[] batches = count >= 2 && model.SplitBatches ? [(start, half), (start + half, count - half)] : [(start, count)];
            var outputs = batches.Length == 1 ? [RunBatch(net, model.Input, items, start, count)] : AcrossCores.Map(batches, b => RunBatch(net, model.Input, items, b.Start, b.Count));
            var row = outputs[0].Length / batches[0].Count;
            all ??= new float[row * items.Count];
            for (var b = 0; b < batches.Length; b++) outputs[b].CopyTo(all, batches[b].Start * row);
        }
        return all!;
    }

    /// <summary>The network's first output for <paramref name="count"/> items from <paramref name="start"/>, in one run.</summary>
    private static float[] RunBatch(OnnxNet net, InputFormat format, IReadOnlyList<(RgbImage Image, PixelRect Region)> items, int start, int count)
    {
        var size = format.Size;
        var item = 3 * size * size;
        var buffer = OnnxNet.RentBuffer(item * count);
        try
        {
            for (var k = 0; k < count; k++) Write(format, size, items[start + k].Image, items[start + k].Region, buffer.AsSpan(k * item, item));
            return net.Run(buffer.AsMemory(0, count * item), [count, 3, size, size])[0];
        }
        finally
        {
            OnnxNet.ReturnBuffer(buffer);
        }
    }

    /// <summary>One region as the network's input item (NCHW, batch 1), in a new array: for calibration and tests.</summary>
    public static float[] Tensor(InputFormat format, RgbImage image, PixelRect region, int size = 0)
    {
        size = size > 0 ? size : format.Size;
        var tensor = new float[3 * size * size];
        Write(format, size, image, region, tensor);
        return tensor;
    }

    private static void Write(InputFormat format, int size, RgbImage image, PixelRect region, Span<float> destination)
    {
        SquareInput.Write(image, region, format.Padding, size, format.Normalization, destination);
        if (format.Colors == ColorOrder.Bgr)
        {
            // SquareInput writes red, green, blue planes: swap the first and the last.
            var plane = size * size;
            var red = destination[..plane];
            var blue = destination.Slice(2 * plane, plane);
            for (var i = 0; i < plane; i++) (red[i], blue[i]) = (blue[i], red[i]);
        }
    }
}
