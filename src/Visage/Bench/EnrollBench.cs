using Visage.Enrollment;
using Visage.Gallery;
using Visage.Imaging;
using Visage.Pipeline;

namespace Visage.Cli.Bench;

/// <summary>Bulk enrollment throughput of one way of feeding the pipeline.</summary>
public sealed record EnrollResult(string Mode, int Photos, int Enrolled, double Seconds)
{
    public double PhotosPerSecond => Photos / Seconds;
}

/// <summary>
/// Enrolls a folder of photos (one subfolder per person, as <c>visage enroll</c> reads it) into a fresh SQLite gallery:
/// once one photo after the other (decode, analyze, write), once with <see cref="PipelinedEnrollment"/> (decode ahead,
/// write behind, the networks never waiting for either). Each photo's subject is enrolled, as <c>visage enroll</c>
/// takes it (<see cref="FaceAnalyzer.AnalyzeSubject"/>).
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
            var named = photos.Select(p => (p, Path.GetFileName(Path.GetDirectoryName(p))!)).ToList();
            var enrolled = 0;
            var seconds = Samples.Time(() => enrolled = pipelined
                ? PipelinedEnrollment.Run(gallery, analyzer, named, decoder).Count(o => o.Enrolled is not null)
                : Sequential(gallery, analyzer, named, decoder)) / 1000;
            return new EnrollResult(pipelined ? "pipelined" : "sequential", photos.Count, enrolled, seconds);
        }
        finally
        {
            foreach (var suffix in new[] { "", "-wal", "-shm" }) File.Delete(path + suffix);
        }
    }

    /// <summary>The plain loop: read and decode, analyze, write, one photo after the other.</summary>
    private static int Sequential(FaceGallery gallery, FaceAnalyzer analyzer, IEnumerable<(string Path, string Person)> photos, ImageDecoder decoder)
    {
        var enrolled = 0;
        foreach (var (photo, person) in photos)
        {
            var file = DecodeAhead.Decode(photo, decoder);
            if (file.Image is null || analyzer.AnalyzeSubject(file.Image).Unambiguous is not { } face) continue;
            gallery.Enroll(gallery.GetOrCreatePerson(person).Id, file.Sha256!, face);
            enrolled++;
        }
        return enrolled;
    }
}
