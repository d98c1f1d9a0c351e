using Visage.Alignment;
using Visage.Faces;
using Visage.Imaging;

namespace Visage.Cli.Bench;

/// <summary>A photo of the bench, decoded once, with what the later stages start from (its faces, landmarks, chips).</summary>
public sealed record BenchImage(string Name, string Path, byte[] Bytes, RgbImage Image, IReadOnlyList<Face> Faces, IReadOnlyList<RgbImage> Chips)
{
    /// <summary>Decodes every image of a folder and finds its faces with the default (SSD) analyzer.</summary>
    public static IReadOnlyList<BenchImage> Load(IReadOnlyList<string> files, ImageDecoder decoder, FaceAnalyzer analyzer) =>
        files.Select(path =>
        {
            var bytes = File.ReadAllBytes(path);
            var image = decoder.Decode(bytes);
            var faces = analyzer.Detect(image).Faces;
            var chips = faces.Select(f => DlibChip.Extract(image, f.Landmarks!)).ToList();
            return new BenchImage(System.IO.Path.GetFileName(path), path, bytes, image, faces, chips);
        }).ToList();
}
