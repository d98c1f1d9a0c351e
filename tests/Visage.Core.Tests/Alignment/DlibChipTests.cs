using Visage.Alignment;
using Visage.Faces;
using Visage.Imaging;

namespace Visage.Tests.Alignment;

public sealed class DlibChipTests
{
    [Fact]
    public void Fit_recovers_a_known_similarity_transform()
    {
        var truth = new SimilarityTransform(A: 1.7 * Math.Cos(0.3), B: 1.7 * Math.Sin(0.3), Tx: 40, Ty: -12);
        var from = Enumerable.Range(0, 12).Select(i => new Point2(i * 7 % 50, i * 13 % 40)).ToList();
        var to = from.Select(truth.Apply).ToList();

        var fitted = SimilarityTransform.Fit(from, to);

        Assert.Equal(truth.A, fitted.A, 9);
        Assert.Equal(truth.B, fitted.B, 9);
        Assert.Equal(truth.Tx, fitted.Tx, 9);
        Assert.Equal(truth.Ty, fitted.Ty, 9);
    }

    [Fact]
    public void A_rotated_and_scaled_pattern_comes_back_upright()
    {
        // Draw a bright square where the chip's (50..100, 50..100) region lands in a 400x400 image under a known
        // transform, then cut the chip with that transform: the square is back at 50..100 in the chip.
        var t = new SimilarityTransform(A: 2.2 * Math.Cos(0.5), B: 2.2 * Math.Sin(0.5), Tx: 150, Ty: 60);
        var (a, b) = (t.A / (t.A * t.A + t.B * t.B), -t.B / (t.A * t.A + t.B * t.B)); // inverse rotation-scale
        var pixels = new byte[400 * 400 * 3];
        for (var y = 0; y < 400; y++)
            for (var x = 0; x < 400; x++)
            {
                double dx = x - t.Tx, dy = y - t.Ty;
                double u = a * dx - b * dy, v = b * dx + a * dy; // chip coordinates of this image pixel
                if (u is >= 50 and <= 100 && v is >= 50 and <= 100) pixels.AsSpan((y * 400 + x) * 3, 3).Fill(255);
            }

        var chip = ChipSampler.Sample(new RgbImage(400, 400, pixels), t, 150);

        Assert.Equal(255, chip.Pixels[(75 * 150 + 75) * 3], 30.0);
        Assert.Equal(0, chip.Pixels[(75 * 150 + 30) * 3], 30.0);
        Assert.Equal(0, chip.Pixels[(120 * 150 + 75) * 3], 30.0);
    }

    [Fact]
    public void Where_the_chip_reaches_past_the_photo_it_is_black()
    {
        var white = new RgbImage(100, 100, Enumerable.Repeat((byte)255, 100 * 100 * 3).ToArray());
        // The chip's left half maps to negative x: outside the photo.
        var chip = ChipSampler.Sample(white, new SimilarityTransform(1, 0, -75, 0), 150);
        Assert.Equal(0, chip.Pixels[(20 * 150 + 10) * 3]);
        Assert.Equal(255, chip.Pixels[(20 * 150 + 140) * 3]);
    }
}
