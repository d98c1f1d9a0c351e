using Visage.Gallery;
using Visage.Imaging;

namespace Visage.Cli.Bench;

/// <summary>Bulk enrollment throughput of one way of feeding the pipeline.</summary>
public sealed record EnrollResult(string Mode, int Photos, int Enrolled, double Seconds)
{
    public double PhotosPerSecond => Photos / Seconds;
}

/// <summary>
/// Enrolls a folder of photos (one subfolder per person, as <c>visage enroll</c> reads it) into a fresh SQLite gallery:
/// once decoding each photo before analyzing it, once with <see cref="DecodeAhead"/> decoding the next photos while the
/// networks work on the current one.
/// </summary>
public static class EnrollBench
{
    /// <summary>The photos below <paramref name="folder"/>, by path, optionally only those of one size (header only).</summary>
    public static IReadOnlyList<string> Photos(string folder, int limit, (int Width, int Height)? size)
    {
        var decoder = new ImageDecoder();
        return Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .Where(f => Commands.ImageFiles.Extensions.Contains(Path.GetExtension(f).ToLowerInvariant()))
            .Order(StringComparer.Ordinal)
            .Where(f => size is not { } s || decoder.Identify(File.ReadAllBytes(f)) is var h && h.Width == s.Width && h.Height == s.Height)
            .Take(limit).ToList();
    }

    public static EnrollResult Run(IReadOnlyList<string> photos, FaceAnalyzer analyzer, bool pipelined)
    {
        var decoder = new ImageDecoder();
        var path = Path.Combine(Path.GetTempPath(), $"visage-bench-{Guid.NewGuid():N}.db");
        try
        {
            using var gallery = FaceGallery.Open(path, analyzer.ModelId);
            var files = pipelined ? DecodeAhead.Files(photos, decoder) : photos.Select(p => DecodeAhead.Decode(p, decoder));
            var enrolled = 0;
            var seconds = Samples.Time(() =>
            {
                foreach (var file in files)
                {
                    if (file.Image is null) continue;
                    var faces = analyzer.Analyze(file.Image).Faces;
                    if (faces.Count == 0) continue;
                    var person = gallery.GetOrCreatePerson(Path.GetFileName(Path.GetDirectoryName(file.Path))!);
                    gallery.Enroll(person.Id, file.Sha256!, faces[0]);
                    enrolled++;
                }
            }) / 1000;
            return new EnrollResult(pipelined ? "pipelined" : "sequential", photos.Count, enrolled, seconds);
        }
        finally
        {
            foreach (var suffix in new[] { "", "-wal", "-shm" }) File.Delete(path + suffix);
        }
    }
}
