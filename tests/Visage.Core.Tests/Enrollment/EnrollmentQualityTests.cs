using Visage.Enrollment;
using Visage.Faces;
using Visage.Imaging;
using Visage.Pipeline;

namespace Visage.Tests.Enrollment;

/// <summary>
/// The enrollment bar on real photos: every photo of ../shared/data/faces (each one a usable enrollment photo) passes;
/// a shrunk or blurred copy of one is refused with the reason in words, unless forced.
/// </summary>
[Collection(ModelsCollection.Name)]
public sealed class EnrollmentQualityTests(ModelsFixture models)
{
    private static readonly string Lu = Path.Combine(TestData.Faces, "Edward_Lu", "Edward_Lu_0002.jpg");

    [Fact]
    public void Every_photo_of_the_dev_set_passes_the_bar()
    {
        using var analyzer = new FaceAnalyzer(models: models.Repository);
        var cache = new FaceAnalysisCache(FaceAnalysisCache.DefaultDirectory);
        var decoder = new ImageDecoder();
        var refused = new List<string>();
        var scores = new List<double>();
        foreach (var path in Directory.EnumerateFiles(TestData.Faces, "*.jpg", SearchOption.AllDirectories))
        {
            if (cache.Analyze(analyzer, decoder, path).Subject() is not { } face) continue;
            var report = EnrollmentQuality.Assess(decoder.DecodeFile(path), face);
            scores.Add(report.Score);
            if (!report.Acceptable) refused.Add($"{Path.GetFileName(path)}: {report.Problem}");
        }
        Assert.True(scores.Count > 200, $"{scores.Count} faces");
        Assert.Empty(refused);
        Assert.All(scores, s => Assert.InRange(s, 0.05, 1));
    }

    [Fact]
    public void A_small_or_blurred_face_is_refused_with_its_reason_unless_forced()
    {
        using var analyzer = new FaceAnalyzer(models: models.Repository);
        var photo = new ImageDecoder().DecodeFile(Lu);
        var original = EnrollmentQuality.Require(photo, analyzer.AnalyzeSubject(photo).Face!, force: false);

        var small = photo.ShrinkBy(4);
        var tiny = analyzer.AnalyzeSubject(small).Face!;
        var refusal = Assert.Throws<FaceQualityException>(() => EnrollmentQuality.Require(small, tiny, force: false));
        Assert.Matches(@"^the face is \d+ pixels high, at least 48 are needed$", refusal.Report.Problem);
        Assert.Contains("enroll it anyway with force", refusal.Message);
        Assert.True(EnrollmentQuality.Require(small, tiny, force: true).Score < original.Score);

        var blurred = BoxBlur(photo, radius: 3);
        var report = EnrollmentQuality.Assess(blurred, analyzer.AnalyzeSubject(blurred).Face!);
        Assert.StartsWith("the face is blurred", report.Problem);
        Assert.True(report.Sharpness < original.Sharpness / 5, $"sharpness {report.Sharpness} against {original.Sharpness}");
    }

    [Fact]
    public void A_profile_and_an_unsure_detection_are_refused_and_a_face_without_landmarks_cannot_be_checked()
    {
        var photo = new RgbImage(400, 400, new byte[400 * 400 * 3]);
        var frontal = HeadPoseTestsLandmarks(yaw: 0);
        var box = new BoundingBox(200, 120, 200, 200);
        Assert.Contains("turned", EnrollmentQuality.Assess(photo, new Face(box, 0.9f, HeadPoseTestsLandmarks(yaw: 70))).Problem);
        Assert.Contains("detector is unsure", EnrollmentQuality.Assess(photo, new Face(box, 0.2f, frontal)).Problem);
        Assert.Equal("the face has no landmarks to check its pose and sharpness", EnrollmentQuality.Assess(photo, new Face(box, 0.9f)).Problem);
        // A flat grey picture has no detail at all: refused as blurred.
        Assert.StartsWith("the face is blurred", EnrollmentQuality.Assess(photo, new Face(box, 0.9f, frontal)).Problem);
    }

    /// <summary>68 points of a simple head turned by <paramref name="yaw"/> degrees (<see cref="Visage.Tests.Faces.HeadPoseTests"/>' model: 100 px between the eyes, around (300, 200)).</summary>
    private static FaceLandmarks HeadPoseTestsLandmarks(double yaw) => Visage.Tests.Faces.HeadPoseTests.Head(yaw, 0, 0);

    private static RgbImage BoxBlur(RgbImage image, int radius)
    {
        int w = image.Width, h = image.Height;
        var src = image.Pixels;
        var tmp = new byte[src.Length];
        var dst = new byte[src.Length];
        for (var y = 0; y < h; y++)
            for (var x = 0; x < w; x++)
                for (var c = 0; c < 3; c++)
                {
                    int sum = 0, n = 0;
                    for (var k = -radius; k <= radius; k++, n++) sum += src[(y * w + Math.Clamp(x + k, 0, w - 1)) * 3 + c];
                    tmp[(y * w + x) * 3 + c] = (byte)(sum / n);
                }
        for (var y = 0; y < h; y++)
            for (var x = 0; x < w; x++)
                for (var c = 0; c < 3; c++)
                {
                    int sum = 0, n = 0;
                    for (var k = -radius; k <= radius; k++, n++) sum += tmp[(Math.Clamp(y + k, 0, h - 1) * w + x) * 3 + c];
                    dst[(y * w + x) * 3 + c] = (byte)(sum / n);
                }
        return new RgbImage(w, h, dst);
    }
}
