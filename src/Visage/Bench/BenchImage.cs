using Visage.Alignment;
using Visage.Faces;
using Visage.Imaging;
using Visage.Pipeline;

namespace Visage.Cli.Bench;

/// <summary>A photo of the bench, decoded once, with what the later stages start from (its faces, landmarks, chips).</summary>
/// <param name="Name">File name.</param>
/// <param name="Path">File path.</param>
/// <param name="Bytes">The encoded file.</param>
/// <param name="Image">The decoded pixels.</param>
/// <param name="Faces">Faces found with the default (SSD) analyzer.</param>
/// <param name="Chips">Each face's 150x150 dlib chip.</param>
/// <param name="Webcam">A 640x480 JPEG cut around the first face (what a webcam page posts), or empty without faces.</param>
public sealed record BenchImage(string Name, string Path, byte[] Bytes, RgbImage Image, IReadOnlyList<Face> Faces, IReadOnlyList<RgbImage> Chips, byte[] Webcam)
{
    /// <summary>Decodes every image of a folder and finds its faces with the default (SSD) analyzer.</summary>
    public static IReadOnlyList<BenchImage> Load(IReadOnlyList<string> files, ImageDecoder decoder, FaceAnalyzer analyzer) =>
        files.Select(path =>
        {
            var bytes = File.ReadAllBytes(path);
            var image = decoder.Decode(bytes);
            var faces = analyzer.Detect(image).Faces;
            var chips = faces.Select(f => DlibChip.Extract(image, f.Landmarks!)).ToList();
            return new BenchImage(System.IO.Path.GetFileName(path), path, bytes, image, faces, chips, faces.Count > 0 ? Webcam640(image, faces[0]) : []);
        }).ToList();

    /// <summary>A 640x480 JPEG of the photo centered on a face (clamped to the photo; smaller photos are used whole).</summary>
    private static byte[] Webcam640(RgbImage image, Face face)
    {
        var (w, h) = (Math.Min(640, image.Width), Math.Min(480, image.Height));
        var x = (int)Math.Clamp(face.Box.X + face.Box.Width / 2 - w / 2, 0, image.Width - w);
        var y = (int)Math.Clamp(face.Box.Y + face.Box.Height / 2 - h / 2, 0, image.Height - h);
        return ImageEncoder.Encode(image.Crop(x, y, w, h), ".jpg");
    }
}
