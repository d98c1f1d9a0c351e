using Visage.Imaging;

namespace Visage.Tests.Imaging;

/// <summary>
/// The separable <see cref="SquareInput.Write"/> equals the plain four-sample version bit for bit, also where it writes a
/// detector's input as two halves of rows side by side (sides of 256 or more, on a machine with two cores or more).
/// </summary>
public sealed class SquareInputTests
{
    private static RgbImage Noise(int width, int height, int seed)
    {
        var pixels = new byte[width * height * 3];
        new Random(seed).NextBytes(pixels);
        return new RgbImage(width, height, pixels);
    }

    public static TheoryData<int, int, int, int, int, int, int> Cases => new()
    {
        // image w, h; crop x, y, w, h; output size
        { 1920, 1280, 0, 0, 1920, 1280, 512 },   // SSD: shrink, pad bottom
        { 1280, 1920, 0, 0, 1280, 1920, 416 },   // Tiny: shrink, pad right
        { 300, 200, 17, 9, 101, 64, 112 },       // landmarks: upscale a crop, pad centered with an odd line
        { 300, 200, 40, 20, 64, 101, 150 },      // taller than wide
        { 150, 150, 0, 0, 150, 150, 150 },       // a ready chip: identity
        { 7, 5, 0, 0, 7, 5, 150 },               // tiny source, large upscale
        { 640, 480, 639, 0, 1, 480, 112 },       // one column
        { 1000, 700, 3, 5, 990, 690, 257 },      // written as two halves of rows (on two cores or more), the second one row longer
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Separable_write_equals_the_four_sample_version(int w, int h, int cx, int cy, int cw, int ch, int size)
    {
        var image = Noise(w, h, w * 31 + size);
        var crop = new PixelRect(cx, cy, cw, ch);
        foreach (var padding in new[] { SquarePadding.BottomRight, SquarePadding.Centered })
        {
            var norm = new PixelNormalization(122.782f, 117.001f, 104.298f, 255f, 0.25f);
            var expected = new float[3 * size * size];
            var actual = new float[3 * size * size];
            NaiveSquareInput.Write(image, crop, padding, size, norm, expected);
            SquareInput.Write(image, crop, padding, size, norm, actual);
            Assert.Equal(expected, actual);
        }
    }
}
