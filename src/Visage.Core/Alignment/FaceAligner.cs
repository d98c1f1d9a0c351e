using Visage.Faces;
using Visage.Imaging;

namespace Visage.Alignment;

/// <summary>Cuts the chip an embedder reads from a face's landmarks, the way the chosen <see cref="AlignmentMode"/> says.</summary>
public static class FaceAligner
{
    /// <summary>
    /// The chip of one face: dlib's similarity-transform chip of <paramref name="size"/> pixels, or face-api.js's square
    /// crop of the photo (the embedder resizes it).
    /// </summary>
    public static ChipSource Chip(RgbImage image, BoundingBox box, FaceLandmarks landmarks, AlignmentMode mode, int size)
    {
        if (mode == AlignmentMode.Dlib) return ChipSource.Whole(DlibChip.Extract(image, landmarks, size));
        var landmarkCrop = PixelRect.ClipFloor(box.X, box.Y, box.Width, box.Height, image.Width, image.Height);
        var crop = FaceApiCrop.ClippedDescriptorBox(landmarks, landmarkCrop, image.Width, image.Height);
        // face-api.js returns zeros for an empty crop; a one-pixel crop keeps the batch shape and is as useless.
        return new ChipSource(image, crop.IsEmpty ? new PixelRect(0, 0, 1, 1) : crop);
    }
}
