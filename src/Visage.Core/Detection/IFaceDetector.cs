using Visage.Imaging;
using Visage.Models;

namespace Visage.Detection;

/// <summary>Finds face boxes in an image, or in a region of it without copying the region.</summary>
public interface IFaceDetector
{
    /// <summary>The name the detector is registered and chosen by (<c>ssd</c>, <c>tiny</c>); faces it finds carry it.</summary>
    string Name { get; }

    /// <summary>The network it runs.</summary>
    ModelDescriptor Model { get; }

    /// <summary>Every face over the threshold in <paramref name="region"/>, best first, boxes in image pixels.</summary>
    /// <param name="image">The image.</param>
    /// <param name="region">The part of the image to look at (inside it, not empty).</param>
    /// <param name="settings">Score threshold and input size.</param>
    IReadOnlyList<FaceDetection> Detect(RgbImage image, PixelRect region, DetectorSettings settings);
}

/// <summary>How one detector call runs.</summary>
/// <param name="MinScore">Score threshold (strict), in (0, 1).</param>
/// <param name="InputSize">Network input side for detectors that take several (Tiny: a multiple of 32); 0 for the model's.</param>
public readonly record struct DetectorSettings(float MinScore, int InputSize = 0);

/// <summary>Shorthands for <see cref="IFaceDetector"/>.</summary>
public static class FaceDetectorExtensions
{
    /// <summary>Every face over <paramref name="minScore"/> in the whole image.</summary>
    public static IReadOnlyList<FaceDetection> Detect(this IFaceDetector detector, RgbImage image, float minScore) =>
        detector.Detect(image, new PixelRect(0, 0, image.Width, image.Height), new DetectorSettings(minScore));

    /// <summary>The input side a call with <paramref name="settings"/> runs at.</summary>
    public static int InputSize(this IFaceDetector detector, DetectorSettings settings) =>
        settings.InputSize > 0 ? settings.InputSize : detector.Model.Input.Size;
}
