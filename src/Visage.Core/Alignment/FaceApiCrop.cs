using Visage.Faces;
using Visage.Imaging;

namespace Visage.Alignment;

/// <summary>
/// face-api.js's descriptor crop (<c>FaceLandmarks.alignDlib</c>, used through
/// <c>landmarks.align(null, { useDlibAlignment: true })</c>): an axis-aligned square around the eyes and mouth,
/// no rotation. Kept for parity checks; <see cref="DlibChip"/> is the better default.
/// </summary>
public static class FaceApiCrop
{
    // FaceLandmarks.ts: relX, relY, relScale.
    private const double RelX = 0.5, RelY = 0.43, RelScale = 0.45;

    /// <summary>
    /// The descriptor box in image pixels, with face-api.js's quirk kept: its width and height are capped by the
    /// landmark crop's size (<paramref name="landmarkCrop"/>), which makes a few boxes near the left/top edge of
    /// small photos non-square. Not clipped to the image (the caller clips it as <c>extractFaceTensors</c> does).
    /// </summary>
    public static PixelRect DescriptorBox(FaceLandmarks landmarks, PixelRect landmarkCrop)
    {
        Point2 leftEye = landmarks.LeftEye, rightEye = landmarks.RightEye, mouth = landmarks.Mouth;
        var eyeToMouth = (mouth.DistanceTo(leftEye) + mouth.DistanceTo(rightEye)) / 2;
        var size = (int)Math.Floor(eyeToMouth / RelScale);
        var rx = (leftEye.X + rightEye.X + mouth.X) / 3;
        var ry = (leftEye.Y + rightEye.Y + mouth.Y) / 3;
        var x = (int)Math.Floor(Math.Max(0, rx - RelX * size));
        var y = (int)Math.Floor(Math.Max(0, ry - RelY * size));
        return new PixelRect(x, y, Math.Min(size, landmarkCrop.Width + x), Math.Min(size, landmarkCrop.Height + y));
    }

    /// <summary>The chip to describe: the descriptor box clipped to the image and floored; empty when it lies outside.</summary>
    public static PixelRect ClippedDescriptorBox(FaceLandmarks landmarks, PixelRect landmarkCrop, int imageWidth, int imageHeight)
    {
        var box = DescriptorBox(landmarks, landmarkCrop);
        return PixelRect.ClipFloor(box.X, box.Y, box.Width, box.Height, imageWidth, imageHeight);
    }
}
