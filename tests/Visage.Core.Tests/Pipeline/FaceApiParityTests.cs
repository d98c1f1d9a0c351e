using Visage.Alignment;
using Visage.Imaging;
using Visage.Matching;
using Visage.Pipeline;


namespace Visage.Tests.Pipeline;

/// <summary>
/// The whole pipeline in face-api.js parity mode on the lossless demo inputs: same faces, boxes and landmarks
/// within 1 px, the same descriptor boxes, descriptors within 0.01 Euclidean (reference README tolerances).
/// </summary>
[Collection(ModelsCollection.Name)]
public sealed class FaceApiParityTests(ModelsFixture models)
{
    public static TheoryData<string> Samples => new() { "sample1", "sample2", "sample3", "sample4", "sample5", "sample6" };

    [Theory]
    [MemberData(nameof(Samples))]
    public void Pipeline_matches_faceapi(string sample)
    {
        var reference = Reference.Sample(sample).GetProperty("faces").EnumerateArray().ToList();
        var image = new ImageDecoder().DecodeFile(Path.Combine(TestData.Reference, "inputs", sample + ".png"));
        using var analyzer = new FaceAnalyzer(FaceAnalyzerOptions.FaceApiParity, models.Repository);

        var faces = analyzer.Analyze(image).Faces;

        Assert.Equal(reference.Count, faces.Count);
        for (var f = 0; f < faces.Count; f++)
        {
            var expected = reference[f];
            Reference.AssertBox(expected.GetProperty("box"), faces[f].Box, 1.0);
            var crop = PixelRect.ClipFloor(faces[f].Box.X, faces[f].Box.Y, faces[f].Box.Width, faces[f].Box.Height, image.Width, image.Height);
            var descriptorBox = FaceApiCrop.DescriptorBox(faces[f].Landmarks!, crop);
            var eb = expected.GetProperty("descriptor_box");
            Assert.Equal((eb.GetProperty("x").GetInt32(), eb.GetProperty("y").GetInt32(), eb.GetProperty("width").GetInt32(), eb.GetProperty("height").GetInt32()),
                (descriptorBox.X, descriptorBox.Y, descriptorBox.Width, descriptorBox.Height));
            var distance = FaceDistance.Euclidean(Reference.Floats(expected.GetProperty("descriptor")), faces[f].Embedding!.Vector);
            Assert.True(distance <= 0.01, $"face {f}: descriptor distance {distance}");
        }
    }
}
