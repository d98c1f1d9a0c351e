using Visage.Faces;
using Visage.Imaging;
using Visage.Matching;
using Visage.Pipeline;

namespace Visage.Tests.Pipeline;

/// <summary>Landmarks and descriptors for boxes a caller already has (a tracker's): the faces the full analysis gives for them.</summary>
[Collection(ModelsCollection.Name)]
public sealed class AnalyzeBoxesTests(ModelsFixture models)
{
    [Fact]
    public void Given_the_boxes_of_an_analysis_the_same_landmarks_and_descriptors_come_back()
    {
        using var analyzer = new FaceAnalyzer(new FaceAnalyzerOptions(), models.Repository);
        var photo = new ImageDecoder().DecodeFile(Path.Combine(TestData.Groups, "group_3_faces.jpg"));
        var analyzed = analyzer.Analyze(photo).Faces;
        var outside = new BoundingBox(photo.Width + 10, 0, 50, 50);

        var given = analyzer.AnalyzeBoxes(photo, [.. analyzed.Select(f => f.Box), outside]);

        Assert.Equal(analyzed.Count + 1, given.Count);
        for (var i = 0; i < analyzed.Count; i++)
        {
            Assert.Equal(FaceAnalyzer.GivenStage, given[i].Stage);
            for (var p = 0; p < FaceLandmarks.Count; p++)
                Assert.True(analyzed[i].Landmarks!.Points[p].DistanceTo(given[i].Landmarks!.Points[p]) < 0.01, $"face {i} point {p}");
            Assert.True(FaceDistance.Compute(analyzed[i].Embedding!, given[i].Embedding!) < 1e-3f);
        }
        Assert.Null(given[^1].Landmarks);
        Assert.Null(given[^1].Embedding);
    }
}
