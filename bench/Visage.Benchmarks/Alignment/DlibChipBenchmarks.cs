using BenchmarkDotNet.Attributes;
using Visage.Alignment;
using Visage.Faces;
using Visage.Imaging;

namespace Visage.Benchmarks.Alignment;

/// <summary>The dlib similarity-transform chip (150x150) of a face about 180 px wide, and of one 700 px wide (pyramid halving).</summary>
[MemoryDiagnoser]
public class DlibChipBenchmarks
{
    private readonly RgbImage _photo;
    private readonly FaceLandmarks _small;
    private readonly FaceLandmarks _large;

    public DlibChipBenchmarks()
    {
        var pixels = new byte[1920 * 1280 * 3];
        new Random(2).NextBytes(pixels);
        _photo = new RgbImage(1920, 1280, pixels);
        _small = Face(800, 400, 180);
        _large = Face(900, 600, 700);
    }

    /// <summary>68 points on a plausible face grid: the transform only needs them spread like a face.</summary>
    private static FaceLandmarks Face(double cx, double cy, double width)
    {
        var points = new Point2[FaceLandmarks.Count];
        for (var i = 0; i < points.Length; i++)
        {
            var angle = i * 2 * Math.PI / points.Length;
            points[i] = new Point2(cx + width / 2 * Math.Cos(angle) * (0.5 + i % 3 / 4.0), cy + width / 2 * Math.Sin(angle) * (0.5 + i % 5 / 8.0));
        }
        return new FaceLandmarks(points);
    }

    [Benchmark(Baseline = true)]
    public RgbImage Face180() => DlibChip.Extract(_photo, _small);

    [Benchmark]
    public RgbImage Face700() => DlibChip.Extract(_photo, _large);
}
