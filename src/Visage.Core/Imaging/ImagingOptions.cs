namespace Visage.Imaging;

/// <summary>Limits applied before an image is decoded.</summary>
public sealed record ImagingOptions
{
    /// <summary>Default pixel limit: 40 megapixels (a 7300x5500 photo), about 160 MB while decoding.</summary>
    public const long DefaultMaxPixels = 40_000_000;

    /// <summary>Images whose header declares more pixels than this are refused without being decoded.</summary>
    public long MaxPixels { get; init; } = DefaultMaxPixels;
}
