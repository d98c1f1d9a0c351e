namespace Visage.Faces;

/// <summary>
/// A rough head pose from the 68 landmarks, in degrees: enough to rank frames by how frontal the face is (and,
/// for enrollment, to refuse a profile), not a 3D fit. Roll is the angle of the eye line; yaw comes from how far
/// the nose tip sits off the eyes' midpoint (the tip stands about 0.55 inter-ocular distances in front of the
/// eyes, so an offset <c>r</c> in those units is <c>atan(r / 0.55)</c>); pitch from where the nose tip sits
/// between the eye line and the mouth (at about 0.52 of the way in a level face).
/// </summary>
/// <param name="Yaw">Turn left/right: positive when the nose points towards the image's right edge.</param>
/// <param name="Pitch">Nod: positive when the face looks down (the nose tip drops towards the mouth).</param>
/// <param name="Roll">Tilt in the image plane: positive when the eye line slopes down to the image's right (clockwise).</param>
public readonly record struct HeadPose(double Yaw, double Pitch, double Roll)
{
    /// <summary>Depth of the nose tip in front of the eyes, in inter-ocular distances.</summary>
    public const double NoseDepth = 0.55;

    /// <summary>Where the nose tip sits between the eye line (0) and the mouth center (1) in a level face.</summary>
    public const double LevelNoseHeight = 0.52;

    // How much the nose height moves per unit of tan(pitch): the nose-to-mouth depth difference over the eye-to-mouth height.
    private const double PitchGain = 0.45;

    /// <summary>1 for a face looking straight at the camera, falling to 0 at 90 degrees of yaw or pitch.</summary>
    public double Frontality => Math.Max(0, Math.Cos(Yaw * Math.PI / 180)) * Math.Max(0, Math.Cos(Pitch * Math.PI / 180));

    /// <summary>Estimates the pose of a face from its 68 points.</summary>
    /// <exception cref="ArgumentException">The eyes coincide (degenerate landmarks).</exception>
    public static HeadPose Estimate(FaceLandmarks landmarks)
    {
        var left = landmarks.LeftEye;
        var right = landmarks.RightEye;
        var eyes = new Point2((left.X + right.X) / 2, (left.Y + right.Y) / 2);
        var iod = left.DistanceTo(right);
        if (iod < 1e-6) throw new ArgumentException("degenerate landmarks: the eyes coincide");
        var roll = Math.Atan2(right.Y - left.Y, right.X - left.X);
        // Undo the roll around the eyes' midpoint, so that x runs along the eye line and y down the face.
        var nose = Unroll(landmarks.Points[30], eyes, roll);
        var mouth = Unroll(landmarks.Mouth, eyes, roll);
        var yaw = Math.Atan(nose.X / iod / NoseDepth);
        var pitch = mouth.Y > 1e-6 ? Math.Atan((nose.Y / mouth.Y - LevelNoseHeight) / PitchGain) : 0;
        return new HeadPose(Degrees(yaw), Degrees(pitch), Degrees(roll));
    }

    private static Point2 Unroll(Point2 p, Point2 origin, double roll)
    {
        double dx = p.X - origin.X, dy = p.Y - origin.Y, c = Math.Cos(-roll), s = Math.Sin(-roll);
        return new Point2(dx * c - dy * s, dx * s + dy * c);
    }

    private static double Degrees(double radians) => radians * 180 / Math.PI;
}
