using System.Globalization;
using Visage.Alignment;
using Visage.Faces;
using Visage.Imaging;

namespace Visage.Enrollment;

/// <summary>What <see cref="EnrollmentQuality"/> measured of a face.</summary>
/// <param name="Score">
/// The quality score, 0..1: <see cref="FaceQuality.Score"/> (detector score x size x frontality², the measure camera
/// tracks rank their frames by) times the sharpness of the aligned chip relative to <see cref="EnrollmentQuality.FullSharpness"/>.
/// </param>
/// <param name="Height">The face box's height in pixels.</param>
/// <param name="DetectorScore">The detector's score.</param>
/// <param name="Yaw">Head turn in degrees (<see cref="HeadPose"/>); 0 without landmarks.</param>
/// <param name="Pitch">Head nod in degrees; 0 without landmarks.</param>
/// <param name="Sharpness">The aligned chip's sharpness (<see cref="ImageSharpness"/>); NaN without landmarks.</param>
/// <param name="Problem">Why the face is below the bar, in words (the first check it fails); null when it passes.</param>
public sealed record FaceQualityReport(double Score, double Height, double DetectorScore, double Yaw, double Pitch, double Sharpness, string? Problem)
{
    /// <summary>True when the face passes every check.</summary>
    public bool Acceptable => Problem is null;
}

/// <summary>A face refused for enrollment: below the quality bar (<see cref="EnrollmentQuality"/>), and not forced.</summary>
public sealed class FaceQualityException(FaceQualityReport report)
    : Exception($"the face is not good enough to enroll: {report.Problem} (enroll it anyway with force)")
{
    /// <summary>What was measured.</summary>
    public FaceQualityReport Report { get; } = report;
}

/// <summary>
/// Is a face good enough to enroll? A gallery face is compared with every probe for as long as it is enrolled, so a
/// poor one costs on every recognition: a small or blurred face gives a descriptor that wanders from the person's, a
/// profile one that sits between people. Each check has a bar of its own and a reason in words; the
/// <see cref="FaceQualityReport.Score"/> is stored with the face.
/// </summary>
/// <remarks>
/// The bars were set on ../shared/data/faces (218 photos, every one a usable enrollment photo) and degraded copies of
/// its first 86 photos (shrunk 2, 3 and 4 times, box-blurred with radius 1, 2, 3 and 5 px), measuring how far each copy's
/// descriptor moved from the original's (docs/ACCURACY.md): every original passes every bar, and the copies refused are
/// those whose descriptors moved most: a median of 0.22 to 0.33 for faces under 48 px (0.06 at 100 px and more), 0.24
/// to 0.52 for chips under a sharpness of 0.003 (0.08 above 0.05), where two photos of one person are typically 0.4 apart.
/// </remarks>
public static class EnrollmentQuality
{
    /// <summary>Least face height in pixels: below it the 150 px chip is an upscaled smudge (photos of the set: 92 px and up; descriptors of faces shrunk to 40-48 px moved a median 0.22).</summary>
    public const double MinimumHeight = 48;

    /// <summary>Least detector score (the set's faces: 0.51 and up; the fallback chain keeps faces down to 0.3).</summary>
    public const double MinimumDetectorScore = 0.4;

    /// <summary>Largest head turn in degrees (the set's faces: up to 40).</summary>
    public const double MaximumYaw = 45;

    /// <summary>Largest head nod in degrees (the set's faces: up to 45 for one photo, 28 for the next).</summary>
    public const double MaximumPitch = 50;

    /// <summary>Least chip sharpness (<see cref="ImageSharpness"/>; the set's faces: 0.005 and up; blurred with a 2 px box, a median 0.003).</summary>
    public const double MinimumSharpness = 0.003;

    /// <summary>Chip sharpness from which a face counts as fully sharp in the score (the set's median is 0.032).</summary>
    public const double FullSharpness = 0.02;

    /// <summary>Measures a face found in <paramref name="image"/> (the chip is cut from it with the face's landmarks).</summary>
    public static FaceQualityReport Assess(RgbImage image, Face face)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(face);
        var pose = face.Landmarks is { } points ? HeadPose.Estimate(points) : default;
        var sharpness = face.Landmarks is { } landmarks ? ImageSharpness.Of(DlibChip.Extract(image, landmarks)) : double.NaN;
        var sharpFactor = double.IsNaN(sharpness) ? 1 : Math.Clamp(sharpness / FullSharpness, 0, 1);
        var score = FaceQuality.Score(face.Box, face.Score, face.Landmarks) * sharpFactor;
        return new FaceQualityReport(Math.Round(score, 4), face.Box.Height, face.Score, pose.Yaw, pose.Pitch, sharpness, Problem(face, pose, sharpness));
    }

    /// <summary>The measurement of a face that passes, or (with <paramref name="force"/>) of any face.</summary>
    /// <exception cref="FaceQualityException">The face is below a bar and <paramref name="force"/> is false.</exception>
    public static FaceQualityReport Require(RgbImage image, Face face, bool force)
    {
        var report = Assess(image, face);
        return report.Acceptable || force ? report : throw new FaceQualityException(report);
    }

    private static string? Problem(Face face, HeadPose pose, double sharpness) =>
        face.Box.Height < MinimumHeight ? Say($"the face is {face.Box.Height:0} pixels high, at least {MinimumHeight:0} are needed")
        : face.Score < MinimumDetectorScore ? Say($"the detector is unsure it is a face (score {face.Score:0.00}, at least {MinimumDetectorScore:0.00})")
        : face.Landmarks is null ? "the face has no landmarks to check its pose and sharpness"
        : Math.Abs(pose.Yaw) > MaximumYaw ? Say($"the head is turned {Math.Abs(pose.Yaw):0} degrees to the side, at most {MaximumYaw:0}")
        : Math.Abs(pose.Pitch) > MaximumPitch ? Say($"the head is tilted {Math.Abs(pose.Pitch):0} degrees up or down, at most {MaximumPitch:0}")
        : sharpness < MinimumSharpness ? Say($"the face is blurred (sharpness {sharpness:0.0000}, at least {MinimumSharpness:0.0000})")
        : null;

    private static string Say(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
