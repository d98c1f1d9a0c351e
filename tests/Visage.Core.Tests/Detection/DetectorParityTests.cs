using System.Text.Json;
using Visage.Detection;
using Visage.Imaging;

namespace Visage.Tests.Detection;

/// <summary>Both detectors against face-api.js's own boxes on the lossless demo inputs (FACTS section 9: 1e-4 px between correct ports).</summary>
[Collection(ModelsCollection.Name)]
public sealed class DetectorParityTests(ModelsFixture models)
{
    public static TheoryData<string> Samples => new() { "sample1", "sample2", "sample3", "sample4", "sample5", "sample6" };

    [Theory]
    [MemberData(nameof(Samples))]
    public void Ssd_boxes_and_scores_match_faceapi(string sample) =>
        AssertMatches(new SsdMobileNetV1Detector(models.Repository, SsdMobileNetV1Detector.Fp32), sample, "faces");

    [Theory]
    [MemberData(nameof(Samples))]
    public void Tiny_boxes_and_scores_match_faceapi(string sample) =>
        AssertMatches(new TinyFaceDetector(models.Repository, TinyFaceDetector.Fp32), sample, "tiny_faces");

    private static void AssertMatches(IFaceDetector detector, string sample, string field)
    {
        var reference = Reference.Sample(sample);
        var image = new ImageDecoder().DecodeFile(Path.Combine(TestData.Reference, "inputs", sample + ".png"));

        var found = detector.Detect(image, 0.5f);

        var expected = reference.GetProperty(field).EnumerateArray().ToList();
        Assert.Equal(expected.Count, found.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.InRange(Math.Abs(found[i].Score - expected[i].GetProperty("score").GetSingle()), 0, 0.01);
            Reference.AssertBox(expected[i].GetProperty("box"), found[i].Box, 1.0);
        }
    }
}
