using Visage.Faces;

namespace Visage.Tests.Faces;

public sealed class HeadPoseTests
{
    /// <summary>
    /// Landmarks of a simple 3D head turned by yaw, pitch and roll, projected orthographically (unit inter-ocular
    /// distance, 100 px): eyes at z = 0, the nose tip <see cref="HeadPose.NoseDepth"/> in front, the mouth below.
    /// </summary>
    internal static FaceLandmarks Head(double yawDeg, double pitchDeg, double rollDeg)
    {
        var pts = new (double X, double Y, double Z)[68];
        for (var i = 0; i < 68; i++) pts[i] = (0, 0.6, 0.2); // filler points (jaw, brows) nowhere in particular
        for (var i = 36; i <= 41; i++) pts[i] = (-0.5, 0, 0);
        for (var i = 42; i <= 47; i++) pts[i] = (0.5, 0, 0);
        pts[30] = (0, HeadPose.LevelNoseHeight * 1.1, HeadPose.NoseDepth);
        for (var i = 48; i <= 67; i++) pts[i] = (0, 1.1, 0.3);
        double y = yawDeg * Math.PI / 180, p = pitchDeg * Math.PI / 180, r = rollDeg * Math.PI / 180;
        return new FaceLandmarks(pts.Select(q =>
        {
            // Yaw about the vertical axis (positive: nose to image right), then pitch (positive: looks down), then roll.
            var x1 = q.X * Math.Cos(y) + q.Z * Math.Sin(y);
            var z1 = -q.X * Math.Sin(y) + q.Z * Math.Cos(y);
            var y2 = q.Y * Math.Cos(p) + z1 * Math.Sin(p);
            var x3 = x1 * Math.Cos(r) - y2 * Math.Sin(r);
            var y3 = x1 * Math.Sin(r) + y2 * Math.Cos(r);
            return new Point2(300 + 100 * x3, 200 + 100 * y3);
        }).ToArray());
    }

    [Fact]
    public void AFrontalFace_IsLevelAndFullyFrontal()
    {
        var pose = HeadPose.Estimate(Head(0, 0, 0));
        Assert.Equal(0, pose.Yaw, 6);
        Assert.Equal(0, pose.Pitch, 6);
        Assert.Equal(0, pose.Roll, 6);
        Assert.Equal(1, pose.Frontality, 6);
    }

    [Theory]
    [InlineData(30)]
    [InlineData(-45)]
    [InlineData(10)]
    public void Yaw_IsRecoveredWithItsSign(double yaw) => Assert.Equal(yaw, HeadPose.Estimate(Head(yaw, 0, 0)).Yaw, 6);

    [Theory]
    [InlineData(20)]
    [InlineData(-35)]
    public void Roll_IsTheEyeLineAndDoesNotLeakIntoYaw(double roll)
    {
        var pose = HeadPose.Estimate(Head(15, 0, roll));
        Assert.Equal(roll, pose.Roll, 6);
        Assert.Equal(15, pose.Yaw, 6);
    }

    [Theory]
    [InlineData(20)]
    [InlineData(-20)]
    public void Pitch_HasTheRightSignAndRoughSize(double pitch)
    {
        var estimate = HeadPose.Estimate(Head(0, pitch, 0)).Pitch;
        Assert.Equal(Math.Sign(pitch), Math.Sign(estimate));
        Assert.InRange(Math.Abs(estimate), Math.Abs(pitch) * 0.5, Math.Abs(pitch) * 1.6);
    }

    [Fact]
    public void RealPhotos_OfTheSharedSet_AreMostlyNearFrontal()
    {
        // LFW-style portraits: people face the camera, give or take.
        var yaws = TestData.ReferenceJson("faceapi-faces.json").GetProperty("images").EnumerateArray()
            .SelectMany(i => i.GetProperty("faces").EnumerateArray())
            .Select(f => HeadPose.Estimate(new FaceLandmarks(f.GetProperty("landmarks").EnumerateArray()
                .Select(p => new Point2(p[0].GetDouble(), p[1].GetDouble())).ToArray())))
            .Select(p => Math.Abs(p.Yaw)).Order().ToList();
        Assert.True(yaws.Count > 100);
        Assert.InRange(yaws[yaws.Count / 2], 0, 15);
    }

    [Fact]
    public void Quality_PrefersLargeFrontalConfidentFaces()
    {
        var box = new BoundingBox(0, 0, 150, 150);
        var frontal = FaceQuality.Score(box, 0.9, Head(0, 0, 0));
        Assert.Equal(0.9, frontal, 6);
        Assert.True(FaceQuality.Score(box, 0.9, Head(50, 0, 0)) < frontal * 0.5);
        Assert.Equal(frontal / 3, FaceQuality.Score(new BoundingBox(0, 0, 50, 50), 0.9, Head(0, 0, 0)), 6);
        Assert.True(FaceQuality.Score(box, 0.9, null) < frontal);
    }
}
