using Visage.Cli.Bench;
using Visage.Imaging;
using Visage.Pipeline;
using Visage.Tests;

namespace Visage.Cli.Tests.Bench;

/// <summary>
/// The peer of <c>visage bench --peer</c> really is face-api.js on the pixels Visage decoded: its descriptors equal
/// Visage's parity pipeline's (face-api.js's crop, no flip) within 1e-3 Euclidean (measured on the six demo photos:
/// 2e-6, boxes within 2e-4 px).
/// Needs Node and npm (the peer is installed with <c>npm ci</c> on first use), as the test suite does.
/// </summary>
[Collection(PeerCollection.Name)]
public sealed class PeerHarnessTests
{
    [Theory]
    [InlineData("sample1.jpg")]
    [InlineData("sample4.jpg")]
    public void Peer_descriptors_match_Visage_parity_descriptors(string photo)
    {
        var dir = PeerClient.Locate(Path.Combine(TestData.RepoRoot, "bench", "peer-faceapi"));
        PeerClient.EnsureInstalled(dir, Console.Out);
        var path = Path.Combine(TestData.Samples, photo);
        var image = new ImageDecoder().DecodeFile(path);
        using var analyzer = new FaceAnalyzer(FaceAnalyzerOptions.FaceApiParity);
        var ours = analyzer.Analyze(image).Faces;

        using var peer = PeerClient.Start(dir);
        Assert.Equal(ours.Count, peer.Load("0", image, path));
        var theirs = peer.Describe("0");

        Assert.Equal(ours.Count, theirs.Count);
        Assert.NotEmpty(ours);
        for (var i = 0; i < ours.Count; i++)
        {
            Assert.Equal(theirs[i].Box[0], ours[i].Box.X, 1.0);
            Assert.Equal(theirs[i].Box[1], ours[i].Box.Y, 1.0);
            Assert.Equal(theirs[i].Box[2], ours[i].Box.Width, 1.0);
            Assert.Equal(theirs[i].Box[3], ours[i].Box.Height, 1.0);
            var distance = Matching.FaceDistance.Euclidean(theirs[i].Descriptor, ours[i].Embedding!.Vector);
            Assert.True(distance <= 1e-3, $"{photo} face {i}: descriptors {distance:0.00000} apart");
        }
    }
}
