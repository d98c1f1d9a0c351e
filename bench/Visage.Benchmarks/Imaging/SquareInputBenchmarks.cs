using BenchmarkDotNet.Attributes;
using Visage.Imaging;
using Visage.Tests.Imaging;

namespace Visage.Benchmarks.Imaging;

/// <summary>Network input from a photo: a 1920x1280 photo to the SSD's 512 square, and a face crop to the 150 chip.</summary>
[MemoryDiagnoser]
public class SquareInputBenchmarks
{
    private static readonly PixelNormalization Norm = new(0, 0, 0, 127.5f, -1f);
    private readonly RgbImage _photo = Noise(1920, 1280);
    private readonly float[] _destination = new float[3 * 512 * 512];

    [Params(512, 150)]
    public int Size { get; set; }

    private PixelRect Crop => Size == 512 ? new PixelRect(0, 0, 1920, 1280) : new PixelRect(700, 300, 180, 180);

    [Benchmark(Baseline = true)]
    public void FourSamples() => NaiveSquareInput.Write(_photo, Crop, SquarePadding.BottomRight, Size, Norm, _destination);

    [Benchmark]
    public void Separable() => SquareInput.Write(_photo, Crop, SquarePadding.BottomRight, Size, Norm, _destination);

    private static RgbImage Noise(int w, int h)
    {
        var pixels = new byte[w * h * 3];
        new Random(1).NextBytes(pixels);
        return new RgbImage(w, h, pixels);
    }
}
