using Visage.Imaging;

namespace Visage.Detection;

/// <summary>Finds face boxes in an image.</summary>
public interface IFaceDetector
{
    /// <summary>Short name used in options and output (<c>ssd</c>, <c>tiny</c>).</summary>
    string Name { get; }

    /// <summary>Every face over <paramref name="minScore"/>, best first, boxes in image pixels.</summary>
    /// <param name="image">The image.</param>
    /// <param name="minScore">Score threshold (strict), in (0, 1).</param>
    IReadOnlyList<FaceDetection> Detect(RgbImage image, float minScore);
}
