using System.Text.Json;
using Visage.Detection;
using Visage.Imaging;
using Visage.Models;
using Visage.Pipeline;

namespace Visage.Evaluation.OpenSet;

/// <summary>
/// Stand-ins for the frames of a camera track: the subject descriptor of the same photo mirrored and cropped a little
/// (each crop shifts and rescales the face, so detection, landmarks and the chip all move as they would between
/// frames). Cached per photo and pipeline next to the analysis cache, since each costs a full analysis.
/// </summary>
public static class FrameDescriptors
{
    /// <summary>The augmentations, in the order a probe with m descriptors takes them (after the photo itself).</summary>
    public static readonly IReadOnlyList<(string Name, Func<RgbImage, RgbImage> Make)> Augmentations =
    [
        ("mirror", image => image.FlipHorizontal()),
        ("crop-top-left-90", image => image.Crop(0, 0, image.Width * 9 / 10, image.Height * 9 / 10)),
        ("crop-bottom-right-90", image => image.Crop(image.Width / 10, image.Height / 10, image.Width * 9 / 10, image.Height * 9 / 10)),
        ("crop-centre-85", image => image.Crop(image.Width * 3 / 40, image.Height * 3 / 40, image.Width * 17 / 20, image.Height * 17 / 20)),
    ];

    private const int CacheVersion = 1;

    /// <summary>Per photo, the subject descriptor of each augmentation (null where no face was found or the photo could not be read).</summary>
    public static float[]?[][] Compute(FaceDataset dataset, EvalVariant variant, EvalSettings settings, ModelRepository models, IProgress<EvalProgress>? progress = null)
    {
        var decoder = new ImageDecoder(settings.Imaging);
        using var analyzer = new FaceAnalyzer(variant.Options, models);
        var result = new float[]?[dataset.Photos.Count][];
        var cached = 0;
        for (var i = 0; i < result.Length; i++)
        {
            var bytes = File.ReadAllBytes(dataset.Photos[i].Path);
            var entry = settings.CacheDirectory is { } dir
                ? Path.Combine(dir, "frames", variant.PipelineKey, $"{Hashing.Sha256(bytes)}.v{CacheVersion}.json")
                : null;
            if (entry is not null && TryRead(entry) is { } hit) { result[i] = hit; cached++; }
            else
            {
                result[i] = Analyze(analyzer, decoder, bytes);
                if (entry is not null) Write(entry, result[i]);
            }
            progress?.Report(new EvalProgress($"{variant.Name} frames", i + 1, result.Length, cached));
        }
        return result;
    }

    private static float[]?[] Analyze(FaceAnalyzer analyzer, ImageDecoder decoder, byte[] bytes)
    {
        RgbImage image;
        try { image = decoder.Decode(bytes); }
        catch (ImageDecodeException) { return new float[]?[Augmentations.Count]; }
        return [.. Augmentations.Select(a => FaceFinder.Largest(analyzer.Analyze(a.Make(image), seekSubject: true).Faces)?.Embedding?.Vector)];
    }

    private static float[]?[]? TryRead(string path)
    {
        try { return File.Exists(path) ? JsonSerializer.Deserialize<float[]?[]>(File.ReadAllBytes(path)) : null; }
        catch (Exception e) when (e is JsonException or IOException) { return null; }
    }

    // Written to a temporary name and moved, so processes sharing the cache never read half a file.
    private static void Write(string path, float[]?[] frames)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temp = $"{path}.{Environment.ProcessId}.tmp";
        File.WriteAllBytes(temp, JsonSerializer.SerializeToUtf8Bytes(frames));
        File.Move(temp, path, overwrite: true);
    }
}
