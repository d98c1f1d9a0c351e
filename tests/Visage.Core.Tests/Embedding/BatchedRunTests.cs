using Visage.Alignment;
using Visage.Embedding;
using Visage.Imaging;
using Visage.Models;

namespace Visage.Tests.Embedding;

/// <summary>Chips run in bounded batches give what each chip gives on its own.</summary>
[Collection(ModelsCollection.Name)]
public sealed class BatchedRunTests(ModelsFixture models)
{
    [Fact]
    public void TwentyChips_InBatchesOfEight_DescribeAsEachAlone()
    {
        var image = new ImageDecoder().DecodeFile(Path.Combine(TestData.Groups, "group_8_faces.jpg"));
        var chips = Enumerable.Range(0, 2 * SquareBatch.MaxItems + 4)
            .Select(i => new ChipSource(image, new PixelRect(i * 37 % (image.Width - 160), i * 53 % (image.Height - 160), 150 + i, 160 - i)))
            .ToList();
        var net = new FaceRecognitionNet(models.Repository, FaceRecognitionNet.Fp32);

        var together = net.Describe(chips);

        Assert.Equal(chips.Count, together.Length);
        for (var i = 0; i < chips.Count; i++)
        {
            var alone = net.Describe([chips[i]])[0];
            for (var d = 0; d < alone.Length; d++) Assert.Equal(alone[d], together[i][d], 1e-4f);
        }
    }
}
