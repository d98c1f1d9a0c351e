using Visage.Faces;
using Visage.Imaging;
using Visage.Landmarks;

namespace Visage.Tests.Landmarks;

/// <summary>The full landmark net on face-api.js's own detection boxes, against its landmarks (within 1 px).</summary>
[Collection(ModelsCollection.Name)]
public sealed class LandmarkParityTests(ModelsFixture models)
{
    public static TheoryData<string> Samples => new() { "sample1", "sample2", "sample3", "sample4", "sample5", "sample6" };

    [Theory]
    [MemberData(nameof(Samples))]
    public void Landmarks_match_faceapi_on_its_boxes(string sample)
    {
        var reference = Reference.Sample(sample).GetProperty("faces").EnumerateArray().ToList();
        var image = new ImageDecoder().DecodeFile(Path.Combine(TestData.Reference, "inputs", sample + ".png"));
        var boxes = reference.Select(f => f.GetProperty("box")).Select(b => new BoundingBox(
            b.GetProperty("x").GetDouble(), b.GetProperty("y").GetDouble(), b.GetProperty("width").GetDouble(), b.GetProperty("height").GetDouble())).ToList();

        var found = new FaceLandmark68Net(models.Repository, FaceLandmark68Net.Full).Detect(image, boxes);

        for (var f = 0; f < reference.Count; f++)
        {
            var expected = reference[f].GetProperty("landmarks").EnumerateArray().ToList();
            for (var p = 0; p < FaceLandmarks.Count; p++)
            {
                Reference.AssertNear(expected[p][0].GetDouble(), found[f]!.Points[p].X, 1.0, $"face {f} point {p} x");
                Reference.AssertNear(expected[p][1].GetDouble(), found[f]!.Points[p].Y, 1.0, $"face {f} point {p} y");
            }
        }
    }
}
