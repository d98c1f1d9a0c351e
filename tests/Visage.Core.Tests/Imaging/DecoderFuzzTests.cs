using Visage.Imaging;
using Visage.Pipeline;

namespace Visage.Tests.Imaging;

/// <summary>
/// A short, seeded run of the fuzz harness's mutations (tests/Visage.Fuzz runs the long one): whatever the bytes,
/// decoding either works or throws <see cref="ImageDecodeException"/>, and a decoded image goes through the pipeline.
/// </summary>
[Collection(ModelsCollection.Name)]
public sealed class DecoderFuzzTests(ModelsFixture models)
{
    [Fact]
    public void Hostile_images_give_decode_errors_or_faces_never_anything_else()
    {
        var seeds = new[] { Path.Combine(TestData.Samples, "sample2.jpg"), Path.Combine(TestData.NonFaces, "cat_chelsea.png"), Path.Combine(TestData.Faces, "Tom_Cruise", "Tom_Cruise_0001.jpg") }
            .Select(File.ReadAllBytes).ToList();
        var generator = new HostileImages(seeds, seed: 20261126);
        using var analyzer = new FaceAnalyzer(models: models.Repository);
        var decoder = new ImageDecoder(new ImagingOptions { MaxPixels = 4_000_000 }); // keeps the decoded bombs small
        var outcomes = new List<string>();

        for (var i = 0; i < 150; i++)
        {
            var (kind, bytes) = generator.Next(i);
            try
            {
                analyzer.Analyze(decoder.Decode(bytes));
                outcomes.Add("decoded");
            }
            catch (ImageDecodeException e)
            {
                outcomes.Add(e.Error.ToString());
            }
        }

        // Every kind of failure shows up, so the mutations really reach each branch.
        Assert.Superset(new HashSet<string> { "decoded", "Empty", "NotAnImage", "Truncated", "Corrupt", "TooLarge" }, outcomes.ToHashSet());
    }
}
