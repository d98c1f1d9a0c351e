using Visage.Alignment;
using Visage.Faces;
using Visage.Imaging;

namespace Visage.Tests.Alignment;

/// <summary>Sampling the photo's bytes in place gives the chip the float copy of the footprint gives, byte for byte.</summary>
public sealed class ChipSamplerTests
{
    [Theory]
    [InlineData(400, 300, 1.2, 0.3, 120, 80)]      // rotated, inside
    [InlineData(400, 300, 0.9, -0.5, -40, -30)]    // hanging over the top-left corner
    [InlineData(400, 300, 1.5, 0.2, 330, 250)]     // over the bottom-right corner
    [InlineData(200, 150, 0.4, 0.0, 10, 10)]       // upscaling a small face
    [InlineData(64, 48, 1.9, 0.4, 0, 0)]           // most of the chip outside the photo
    public void Direct_sampling_equals_the_float_copy(int width, int height, double a, double b, double tx, double ty)
    {
        var pixels = new byte[width * height * 3];
        new Random(width + (int)tx).NextBytes(pixels);
        var image = new RgbImage(width, height, pixels);
        var t = new SimilarityTransform(a, b, tx, ty);
        Assert.True(t.Scale <= 2); // no halving: the direct path applies

        var direct = ChipSampler.Sample(image, t, 150, direct: true);
        var copied = ChipSampler.Sample(image, t, 150, direct: false);

        Assert.Equal(copied.Pixels, direct.Pixels);
    }
}
