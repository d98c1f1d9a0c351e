using Visage.Models;
using Visage.Pipeline;
using Visage.Video.Watching;

namespace Visage.Serve.Cameras;

/// <summary>
/// The frame pipelines of the cameras, one per detector, made on first use from the service's pipeline options
/// (so their descriptors are the gallery's) and sharing the service's model sessions.
/// </summary>
public sealed class FrameAnalyzers(FaceAnalyzerOptions photo, ModelRepository models) : IDisposable
{
    private readonly Dictionary<string, FaceAnalyzer> _byDetector = [];

    /// <summary>The pipeline for a detector.</summary>
    /// <exception cref="ArgumentException">No such detector.</exception>
    public FaceAnalyzer For(string detector)
    {
        lock (_byDetector)
        {
            if (!_byDetector.TryGetValue(detector, out var analyzer))
                _byDetector[detector] = analyzer = new FaceAnalyzer(new WatchOptions { Detector = detector }.FrameAnalysis(photo), models);
            return analyzer;
        }
    }

    /// <summary>Disposes the pipelines (the shared sessions are the repository owner's).</summary>
    public void Dispose()
    {
        lock (_byDetector)
        {
            foreach (var a in _byDetector.Values) a.Dispose();
            _byDetector.Clear();
        }
    }
}
