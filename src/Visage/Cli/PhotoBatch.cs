using System.CommandLine;
using Visage.Imaging;
using Visage.Pipeline;

namespace Visage.Cli;

/// <summary>
/// Analyzes many photos through the analysis cache with a progress bar. A photo that cannot be read is reported on
/// stderr and skipped, so one bad file does not stop a folder.
/// </summary>
public sealed class PhotoBatch
{
    public Option<string?> Cache { get; } = new("--cache")
    {
        Description = "Folder of the analysis cache (default: analyses/ in the Visage cache); each photo is analyzed once",
    };

    /// <summary>Adds the options to a command.</summary>
    public void AddTo(Command command) => command.Add(Cache);

    /// <summary>Analyzes every photo; returns the analyses in order and the photos that failed with their message.</summary>
    public (IReadOnlyList<PhotoAnalysis> Done, IReadOnlyList<(string Path, string Error)> Failed) Analyze(
        ParseResult r, IReadOnlyList<string> paths, FaceAnalyzer analyzer, ImageDecoder decoder, string label)
    {
        var cache = new FaceAnalysisCache(r.GetValue(Cache) ?? FaceAnalysisCache.DefaultDirectory);
        var done = new List<PhotoAnalysis>();
        var failed = new List<(string, string)>();
        ProgressBar.Run(label, paths.Count, step =>
        {
            foreach (var path in paths)
            {
                try { done.Add(cache.Analyze(analyzer, decoder, path)); }
                catch (Exception e) when (CommandRunner.Classify(e) is { } failure)
                {
                    failed.Add((path, failure.Message));
                }
                step();
            }
            return done.Count;
        });
        // After the bar, which would otherwise draw over them.
        foreach (var (path, error) in failed) Console.Error.WriteLine($"visage: warning: skipped {path}: {error}");
        return (done, failed);
    }
}
