using Visage.Faces;
using Visage.Imaging;

namespace Visage.Alignment;

/// <summary>
/// dlib's face chip (<c>get_face_chip_details(shape, 150, 0.25)</c> + <c>extract_image_chip</c>), the convention
/// the recognition weights were trained with: the similarity transform that best maps 33 of the 68 landmarks
/// (eyes, nose, outer mouth, upper inner lip) onto dlib's mean face, sampled bilinearly. When the face is more
/// than twice the chip's size it is first halved (2x2 box filter) until it is not, as dlib samples from an
/// image pyramid to avoid aliasing. Pixels that fall outside the photo are black.
/// </summary>
public static class DlibChip
{
    /// <summary>Chip side the recognition net was trained on.</summary>
    public const int DefaultSize = 150;

    /// <summary>dlib's padding around the mean face for the recognition chip.</summary>
    public const double DefaultPadding = 0.25;

    /// <summary>The transform from chip pixels to image pixels for a face (see <see cref="MeanFace.Fit"/>).</summary>
    public static SimilarityTransform ChipToImage(FaceLandmarks landmarks, int size = DefaultSize, double padding = DefaultPadding) =>
        MeanFace.Fit(landmarks, size, padding);

    /// <summary>Cuts the aligned <paramref name="size"/> x <paramref name="size"/> chip of a face.</summary>
    public static RgbImage Extract(RgbImage image, FaceLandmarks landmarks, int size = DefaultSize, double padding = DefaultPadding) =>
        ChipSampler.Sample(image, ChipToImage(landmarks, size, padding), size);
}
