using Visage.Detection;
using Visage.Imaging;
using Visage.Pipeline;

namespace Visage.Tests.Detection;

/// <summary>A detector reading a region of an image in place finds what it finds on a copy of the region, in photo coordinates.</summary>
[Collection(ModelsCollection.Name)]
public sealed class RegionDetectionTests(ModelsFixture models)
{
    public static TheoryData<string> Detectors => [.. VisageModels.Registry.Names<IFaceDetector>()];

    [Theory]
    [MemberData(nameof(Detectors))]
    public void A_region_gives_the_boxes_of_its_copy_moved_by_its_corner(string name)
    {
        var detector = VisageModels.Registry.Create<IFaceDetector>(name, models.Repository);
        var photo = new ImageDecoder().DecodeFile(Path.Combine(TestData.Groups, "group_8_faces.jpg"));
        var found = 0;
        foreach (var region in new[] { new PixelRect(0, 0, photo.Width, photo.Height), new PixelRect(photo.Width / 3, 17, photo.Width / 2, photo.Height / 2 + 3) })
        {
            var copy = photo.Crop(region.X, region.Y, region.Width, region.Height);
            var expected = detector.Detect(copy, 0.3f).Select(d => (d.Box.Offset(region.X, region.Y), d.Score)).ToList();

            var inPlace = detector.Detect(photo, region, new DetectorSettings(0.3f)).Select(d => (d.Box, d.Score)).ToList();

            Assert.Equal(expected, inPlace);
            found += inPlace.Count;
        }
        Assert.True(found > 0);
    }
}
