namespace Visage.Pipeline;

/// <summary>How faces are found.</summary>
public enum DetectionMode
{
    /// <summary>
    /// <see cref="FaceFinder"/>: the detector on the photo and on tiles, the fallback chain when nothing is found,
    /// and landmark-based rejection of non-faces (the default; see <see cref="FaceAnalyzerOptions.Finder"/>).
    /// </summary>
    Thorough,
    /// <summary>One detector pass exactly as face-api.js runs it, for parity.</summary>
    FaceApi,
}
