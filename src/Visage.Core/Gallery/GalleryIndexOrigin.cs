namespace Visage.Gallery;

/// <summary>How a <see cref="FaceGallery"/>'s index came to be when it opened (for logs and tests).</summary>
public enum GalleryIndexOrigin
{
    /// <summary>Exact, loaded from the store.</summary>
    Loaded,

    /// <summary>Compressed, taken up from where it was saved and brought up to date from the change log.</summary>
    Restored,

    /// <summary>Compressed, built from the store (none was saved, or the saved one did not agree with the store).</summary>
    Built,
}
