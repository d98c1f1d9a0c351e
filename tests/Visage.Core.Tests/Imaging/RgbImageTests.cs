using Visage.Imaging;

namespace Visage.Tests.Imaging;

/// <summary>The pixel copies <see cref="RgbImage"/> makes for detection: border and shrink.</summary>
public sealed class RgbImageTests
{
    [Fact]
    public void Shrinking_averages_each_block_and_the_partial_blocks_of_the_edges()
    {
        // 5x3, shrunk by 2: blocks of 2x2, 1x2 (last column), 2x1 (last row) and 1x1 (corner).
        var pixels = new byte[5 * 3 * 3];
        for (var i = 0; i < 15; i++) { pixels[i * 3] = (byte)(i * 10); pixels[i * 3 + 1] = 7; pixels[i * 3 + 2] = (byte)(i % 2 * 255); }
        var source = new RgbImage(5, 3, pixels);

        var shrunk = source.ShrinkBy(2);

        Assert.Equal((3, 2), (shrunk.Width, shrunk.Height));
        // Red is 10 * (y * 5 + x): the mean of each block, rounded half up.
        byte[] red = [30, 50, 65, 105, 125, 140];
        for (var i = 0; i < 6; i++)
        {
            Assert.Equal(red[i], shrunk.Pixels[i * 3]);
            Assert.Equal(7, shrunk.Pixels[i * 3 + 1]);
        }
        // Blue alternates 0/255 by pixel index: 255 * 2/4 rounds to 128; the corner pixel (14) is 0.
        Assert.Equal(128, shrunk.Pixels[2]);
        Assert.Equal(0, shrunk.Pixels[5 * 3 + 2]);
        Assert.Same(source, source.ShrinkBy(1));
    }

    [Fact]
    public void A_border_is_black_and_the_photo_sits_inside_it()
    {
        var source = new RgbImage(2, 1, [1, 2, 3, 4, 5, 6]);

        var bordered = source.WithBorder(1, 2, 0, 1);

        Assert.Equal((3, 4), (bordered.Width, bordered.Height));
        Assert.Equal([1, 2, 3, 4, 5, 6], bordered.Pixels.AsSpan((2 * 3 + 1) * 3, 6).ToArray());
        Assert.Equal(bordered.Pixels.Length - 6, bordered.Pixels.Count(b => b == 0));
    }
}
