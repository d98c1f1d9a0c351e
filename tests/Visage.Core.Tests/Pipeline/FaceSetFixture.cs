using Visage.Faces;
using Visage.Imaging;
using Visage.Pipeline;

namespace Visage.Tests.Pipeline;

/// <summary>
/// Every photo of ../shared/data/faces analyzed once with the default pipeline: for each photo, the face it is about
/// (<see cref="FaceAnalyzer.AnalyzeSubject"/>: LFW photos sometimes show part of another face near an edge), or none.
/// </summary>
public sealed class FaceSetFixture
{
    public FaceSetFixture()
    {
        using var models = new ModelsFixture();
        using var analyzer = new FaceAnalyzer(new FaceAnalyzerOptions(), models.Repository);
        var decoder = new ImageDecoder();
        foreach (var dir in Directory.GetDirectories(TestData.Faces).Order(StringComparer.Ordinal))
        {
            var person = Path.GetFileName(dir);
            var photos = Directory.GetFiles(dir, "*.jpg").Order(StringComparer.Ordinal).ToList();
            for (var i = 0; i < photos.Count; i++)
            {
                var subject = analyzer.AnalyzeSubject(decoder.DecodeFile(photos[i]));
                if (subject.Face is null) continue;
                Faces[(person, i + 1)] = subject.Face;
                if (subject.Ambiguous) Ambiguous.Add((person, i + 1));
            }
        }
        ModelId = analyzer.ModelId;
    }

    /// <summary>(person, 1-based photo number) to the chosen face.</summary>
    public Dictionary<(string Person, int Photo), Face> Faces { get; } = [];

    /// <summary>Photos where several faces could be the subject (enroll refuses them).</summary>
    public HashSet<(string Person, int Photo)> Ambiguous { get; } = [];

    public string ModelId { get; }

    /// <summary>pairs.txt: (a, b, same person).</summary>
    public static IEnumerable<((string, int) A, (string, int) B, bool Same)> Pairs() =>
        File.ReadAllLines(Path.Combine(TestData.Faces, "pairs.txt")).Skip(1)
            .Select(l => l.Split('\t'))
            .Select(p => p.Length == 3
                ? ((p[0], int.Parse(p[1])), (p[0], int.Parse(p[2])), true)
                : ((p[0], int.Parse(p[1])), (p[2], int.Parse(p[3])), false));
}
