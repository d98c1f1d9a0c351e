using Visage.Imaging;

namespace Visage.Alignment;

/// <summary>A rectangle of an image for an embedder to describe: a whole aligned chip, or face-api.js's descriptor box.</summary>
/// <param name="Image">Source image.</param>
/// <param name="Crop">Rectangle inside it.</param>
public readonly record struct ChipSource(RgbImage Image, PixelRect Crop)
{
    /// <summary>The whole image as the chip.</summary>
    public static ChipSource Whole(RgbImage image) => new(image, new PixelRect(0, 0, image.Width, image.Height));

    /// <summary>The chip's pixels as an image of their own (the image itself when the crop covers all of it).</summary>
    public RgbImage ToImage() =>
        Crop == new PixelRect(0, 0, Image.Width, Image.Height) ? Image : Image.Crop(Crop.X, Crop.Y, Crop.Width, Crop.Height);
}
