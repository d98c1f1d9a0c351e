using System.Text.Json;
using Visage.Detection;
using Visage.Imaging;

namespace Visage.Tests.Detection;

[Collection(ModelsCollection.Name)]
public sealed class SsdParityTests(ModelsFixture models)
{
    public static TheoryData<string> Samples => new() { "sample1", "sample2", "sample3", "sample4", "sample5", "sample6" };

    [Theory]
    [MemberData(nameof(Samples))]
    public void Boxes_and_scores_match_faceapi_on_lossless_inputs(string sample)
    {
        var reference = TestData.ReferenceJson("faceapi-samples.json").GetProperty("images").EnumerateArray()
            .Single(i => i.GetProperty("file").GetString() == sample + ".jpg");
        var image = new ImageDecoder().DecodeFile(Path.Combine(TestData.Reference, "inputs", sample + ".png"));
        var detector = new SsdMobileNetV1Detector(models.Repository);

        var found = detector.Detect(image, 0.5f);

        var expected = reference.GetProperty("faces").EnumerateArray().ToList();
        Assert.Equal(expected.Count, found.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            var box = expected[i].GetProperty("box");
            Assert.InRange(Math.Abs(found[i].Score - expected[i].GetProperty("score").GetSingle()), 0, 0.01);
            AssertNear(box, "x", found[i].Box.X);
            AssertNear(box, "y", found[i].Box.Y);
            AssertNear(box, "width", found[i].Box.Width);
            AssertNear(box, "height", found[i].Box.Height);
        }
    }

    private static void AssertNear(JsonElement box, string field, double actual)
    {
        var expected = box.GetProperty(field).GetDouble();
        Assert.True(Math.Abs(expected - actual) <= 1.0, $"{field}: expected {expected}, got {actual}");
    }
}
