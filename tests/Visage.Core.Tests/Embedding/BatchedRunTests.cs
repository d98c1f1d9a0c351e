using Visage.Alignment;
using Visage.Embedding;
using Visage.Faces;
using Visage.Imaging;
using Visage.Landmarks;
using Visage.Models;

namespace Visage.Tests.Embedding;

/// <summary>
/// Regions run in bounded batches, and small batches run as two halves side by side, give what each region gives on
/// its own, in the caller's order.
/// </summary>
[Collection(ModelsCollection.Name)]
public sealed class BatchedRunTests(ModelsFixture models)
{
    private static readonly RgbImage Image = new ImageDecoder().DecodeFile(Path.Combine(TestData.Groups, "group_8_faces.jpg"));

    [Fact]
    public void TwentyChips_InBatchesOfEight_DescribeAsEachAlone()
    {
        var chips = Enumerable.Range(0, 2 * SquareBatch.MaxItems + 4)
            .Select(i => new ChipSource(Image, new PixelRect(i * 37 % (Image.Width - 160), i * 53 % (Image.Height - 160), 150 + i, 160 - i)))
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

    [Theory]
    [InlineData(3)] // one face and its two moved boxes: halves of two and one
    [InlineData(SquareBatch.MaxItems + 4)] // halves of four and four, then two and two
    public void LandmarkCrops_FindTheSamePointsAsEachAlone(int count)
    {
        var boxes = Enumerable.Range(0, count)
            .Select(i => new BoundingBox(i * 41 % (Image.Width - 200), i * 29 % (Image.Height - 200), 120 + 5 * i, 140 - 3 * i))
            .ToList();
        var net = new FaceLandmark68Net(models.Repository, FaceLandmark68Net.Full);
        Assert.True(net.Model.SplitBatches, "the crops must exercise the side-by-side halves");

        var together = net.Detect(Image, boxes);

        for (var i = 0; i < count; i++)
        {
            var alone = net.Detect(Image, [boxes[i]])[0]!;
            for (var p = 0; p < FaceLandmarks.Count; p++)
            {
                Assert.Equal(alone.Points[p].X, together[i]!.Points[p].X, 1e-3);
                Assert.Equal(alone.Points[p].Y, together[i]!.Points[p].Y, 1e-3);
            }
        }
    }
}
