using Visage.Alignment;
using Visage.Embedding;
using Visage.Imaging;

namespace Visage.Tests.Embedding;

/// <summary>The recognition net alone on face-api.js's own 150x150 chips (FACTS section 9: a correct port agrees to ~1e-6).</summary>
[Collection(ModelsCollection.Name)]
public sealed class DescriptorParityTests(ModelsFixture models)
{
    [Fact]
    public void Every_reference_chip_gives_faceapis_descriptor_within_1e3()
    {
        var (chips, sources) = ParityChips.Load();

        var descriptors = new FaceRecognitionNet(models.Repository, FaceRecognitionNet.Fp32).Describe(sources);

        Assert.Equal(22, chips.Count);
        for (var i = 0; i < chips.Count; i++)
        {
            var expected = Reference.Floats(chips[i].GetProperty("descriptor"));
            var worst = expected.Zip(descriptors[i], (e, a) => Math.Abs(e - a)).Max();
            Assert.True(worst <= 1e-3, $"{chips[i].GetProperty("file")}: max abs difference {worst}");
        }
    }
}
