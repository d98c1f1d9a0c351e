using Visage.Faces;
using Visage.Imaging;
using Visage.Landmarks;

namespace Visage.Tests.Landmarks;

[Collection(ModelsCollection.Name)]
public sealed class TinyLandmarkTests(ModelsFixture models)
{
    [Fact]
    public void The_tiny_net_lands_near_the_full_nets_points()
    {
        var image = new ImageDecoder().DecodeFile(Path.Combine(TestData.Reference, "inputs", "sample1.png"));
        var boxes = Reference.Sample("sample1").GetProperty("faces").EnumerateArray().Select(f => f.GetProperty("box"))
            .Select(b => new BoundingBox(b.GetProperty("x").GetDouble(), b.GetProperty("y").GetDouble(), b.GetProperty("width").GetDouble(), b.GetProperty("height").GetDouble()))
            .ToList();

        var full = new FaceLandmark68Net(models.Repository, FaceLandmark68Net.Full).Detect(image, boxes);
        var tiny = new FaceLandmark68Net(models.Repository, FaceLandmark68Net.Tiny).Detect(image, boxes);

        for (var f = 0; f < boxes.Count; f++)
        {
            // Eye and mouth centers agree within 6% of the face width; the nets differ, so no closer.
            var limit = 0.06 * boxes[f].Width;
            Assert.True(full[f]!.LeftEye.DistanceTo(tiny[f]!.LeftEye) < limit);
            Assert.True(full[f]!.RightEye.DistanceTo(tiny[f]!.RightEye) < limit);
            Assert.True(full[f]!.Mouth.DistanceTo(tiny[f]!.Mouth) < limit);
        }
    }
}
