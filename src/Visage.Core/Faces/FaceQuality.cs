namespace Visage.Faces;

/// <summary>
/// How good a face picture is for recognition, 0..1: detector score x size x frontality. A face 150 px high (the
/// size of the recognition chip) or more scores full size; frontality is <see cref="HeadPose.Frontality"/>
/// squared, so a half profile counts far less than a frontal face. Without landmarks the pose is unknown and
/// counts as <see cref="UnknownPoseFrontality"/>, below any clearly frontal face.
/// </summary>
public static class FaceQuality
{
    /// <summary>Face height (px) at which size stops adding quality: the recognition chip's size.</summary>
    public const double FullSizeHeight = 150;

    /// <summary>Frontality assumed when there are no landmarks.</summary>
    public const double UnknownPoseFrontality = 0.75;

    /// <summary>The quality of one detection.</summary>
    public static double Score(BoundingBox box, double detectorScore, FaceLandmarks? landmarks)
    {
        var size = Math.Clamp(box.Height / FullSizeHeight, 0, 1);
        var frontality = landmarks is null ? UnknownPoseFrontality : Math.Pow(HeadPose.Estimate(landmarks).Frontality, 2);
        return Math.Clamp(detectorScore, 0, 1) * size * frontality;
    }
}
