using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Visage.Faces;
using Visage.Imaging;

namespace Visage.Pipeline;

/// <summary>
/// Remembers what the pipeline found in a photo (boxes, scores, landmarks, the recognition net's descriptors), keyed
/// by the SHA-256 of the file's bytes and the analyzer's <see cref="FaceAnalyzer.PipelineFingerprint"/>, so that
/// training, clustering and re-embedding look at each photo once. Descriptors are kept before any projection head
/// and projected on the way out, so one cache serves every head. The faces are found with the subject search
/// (<see cref="FaceAnalyzer.Analyze"/>'s <c>seekSubject</c>), so the largest is the face enrollment would take. One
/// small JSON file per photo, written atomically: processes may share a cache directory, and a damaged entry is
/// simply analyzed again.
/// </summary>
public sealed class FaceAnalysisCache(string directory)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary><c>analyses/</c> in <see cref="VisageHome.Directory"/>.</summary>
    public static string DefaultDirectory => Path.Combine(VisageHome.Directory, "analyses");

    /// <summary>Where the entries live.</summary>
    public string Directory { get; } = Path.GetFullPath(directory);

    /// <summary>Analyzes a photo file, or reads the result of an earlier analysis of the same bytes with the same pipeline.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="ImageDecodeException">The file is not a usable image.</exception>
    public PhotoAnalysis Analyze(FaceAnalyzer analyzer, ImageDecoder decoder, string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"file not found: {path}", path);
        var bytes = File.ReadAllBytes(path);
        var sha = Convert.ToHexStringLower(SHA256.HashData(bytes));
        var entry = EntryPath(analyzer.PipelineFingerprint, sha);
        var cached = TryRead(entry, analyzer.BaseModelId);
        var fromCache = cached is not null;
        if (cached is null)
        {
            var image = decoder.Decode(bytes);
            cached = new Entry(image.Width, image.Height, analyzer.AnalyzeBase(image, seekSubject: true).Faces);
            Write(entry, cached);
        }
        return new PhotoAnalysis(path, sha, cached.Width, cached.Height, cached.Faces.Select(analyzer.Project).ToList(), fromCache);
    }

    private string EntryPath(string fingerprint, string sha)
    {
        var pipeline = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(fingerprint)))[..16];
        return Path.Combine(Directory, pipeline, sha[..2], sha + ".json");
    }

    private static Entry? TryRead(string path, string modelId)
    {
        if (!File.Exists(path)) return null;
        try
        {
            var dto = JsonSerializer.Deserialize<EntryDto>(File.ReadAllBytes(path), Json);
            if (dto?.Faces is null) return null;
            var faces = dto.Faces.Select(f => new Face(
                new BoundingBox(f.Box[0], f.Box[1], f.Box[2], f.Box[3]), f.Score,
                f.Landmarks is null ? null : new FaceLandmarks(Enumerable.Range(0, f.Landmarks.Length / 2).Select(i => new Point2(f.Landmarks[2 * i], f.Landmarks[2 * i + 1])).ToArray()),
                new FaceEmbedding(f.Embedding, modelId),
                f.Stage)).ToList();
            return new Entry(dto.Width, dto.Height, faces);
        }
        catch (Exception e) when (e is JsonException or ArgumentException or IndexOutOfRangeException or IOException)
        {
            return null; // damaged or from an older layout: analyze again
        }
    }

    private static void Write(string path, Entry entry)
    {
        var dto = new EntryDto(entry.Width, entry.Height, entry.Faces.Select(f => new FaceDto(
            [f.Box.X, f.Box.Y, f.Box.Width, f.Box.Height], f.Score, f.Stage,
            f.Landmarks?.Points.SelectMany(p => new[] { p.X, p.Y }).ToArray(),
            f.Embedding!.Vector)).ToList());
        System.IO.Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temp = $"{path}.{Environment.ProcessId}.{Environment.CurrentManagedThreadId}.tmp";
        File.WriteAllBytes(temp, JsonSerializer.SerializeToUtf8Bytes(dto, Json));
        File.Move(temp, path, overwrite: true);
    }

    private sealed record Entry(int Width, int Height, IReadOnlyList<Face> Faces);

    private sealed record EntryDto(int Width, int Height, List<FaceDto>? Faces);

    private sealed record FaceDto(double[] Box, float Score, string Stage, double[]? Landmarks, float[] Embedding);
}

/// <summary>What the pipeline found in one photo file.</summary>
/// <param name="Path">The file.</param>
/// <param name="Sha256">SHA-256 of its bytes (64 lower-case hex digits), as galleries store it.</param>
/// <param name="Width">Width of the upright image in pixels.</param>
/// <param name="Height">Height in pixels.</param>
/// <param name="Faces">Faces, best detection score first, with embeddings in the analyzer's space.</param>
/// <param name="FromCache">Whether the result came from the cache.</param>
public sealed record PhotoAnalysis(string Path, string Sha256, int Width, int Height, IReadOnlyList<Face> Faces, bool FromCache)
{
    /// <summary>The face whose box center is nearest the photo's center, or null: the subject of a labeled portrait.</summary>
    public Face? Subject()
    {
        Face? best = null;
        var bestDistance = double.MaxValue;
        foreach (var f in Faces)
        {
            var c = f.Box.Center;
            var d = (c.X - Width / 2.0) * (c.X - Width / 2.0) + (c.Y - Height / 2.0) * (c.Y - Height / 2.0);
            if (d < bestDistance) { bestDistance = d; best = f; }
        }
        return best;
    }
}
