namespace Visage.Imaging;

/// <summary>Why an image could not be decoded.</summary>
public enum ImageError
{
    /// <summary>Zero bytes.</summary>
    Empty,
    /// <summary>The bytes are not in any supported image format (JPEG, PNG, WebP, BMP, GIF).</summary>
    NotAnImage,
    /// <summary>The header is valid but the data ends early.</summary>
    Truncated,
    /// <summary>The data is damaged.</summary>
    Corrupt,
    /// <summary>The header declares more pixels than the configured limit.</summary>
    TooLarge,
}

/// <summary>An image could not be decoded; <see cref="Error"/> says why.</summary>
public sealed class ImageDecodeException(ImageError error, string message) : Exception(message)
{
    /// <summary>The kind of failure.</summary>
    public ImageError Error { get; } = error;
}
