using Visage.Faces;
using Visage.Pipeline;

namespace Visage.Serve.CompreFace;

/// <summary>The faces of an image as CompreFace's parameters select them, and their shape on the wire.</summary>
internal static class CompreFaceAnalysis
{
    /// <summary>
    /// Decodes and analyzes the image and keeps its faces biggest first, at most <c>limit</c>; none is CompreFace's 400
    /// code 28. <c>det_prob_threshold</c> is validated but not applied: it is a bar on CompreFace's own detector's
    /// probability, and scores of two detectors do not compare (Visage's SSD scores a clear frontal face 0.69 where
    /// CompreFace's gives 0.99, and Double Take always sends 0.8): Visage's detection, with its measured thresholds and
    /// landmark checks, decides what is a face.
    /// </summary>
    public static async Task<(AnalyzedImage Image, Analysis Faces)> FacesAsync(HttpContext http, FacePipeline pipeline, UploadedImage upload, CompreFaceQuery query, bool embed)
    {
        var (limit, _) = (query.Limit, query.DetectionThreshold); // parsed before the networks run: a bad value costs no inference
        var analyzed = await pipeline.AnalyzeAsync(http, upload, embed);
        var faces = analyzed.Analysis.Faces
            .OrderByDescending(f => f.Box.Width * f.Box.Height)
            .Take(limit == 0 ? int.MaxValue : limit)
            .ToList();
        if (faces.Count == 0) throw CompreFaceError.NoFaceFound();
        return (analyzed, analyzed.Analysis with { Faces = faces });
    }

    /// <summary>A face with the box and the plugins asked for (<c>landmarks</c>, <c>calculator</c>) and, with <c>status</c>, the stage times.</summary>
    public static CompreFaceFace Face(Face face, AnalyzedImage image, CompreFaceQuery query)
    {
        var plugins = query.Plugins;
        var timings = image.Analysis.Timings.ToDictionary();
        double Ms(params string[] stages) => Math.Round(stages.Sum(s => timings.GetValueOrDefault(s)), 1);
        return new CompreFaceFace(
            CompreFaceBox.From(face, image.Image.Width, image.Image.Height),
            Landmarks: plugins.Contains("landmarks") && face.Landmarks is { } l ? CompreFaceNumbers.FivePoints(l) : null,
            Embedding: plugins.Contains("calculator") ? face.Embedding?.Vector : null,
            ExecutionTime: query.Status ? new CompreFaceTimes(Ms("decode", "detect", "landmarks"), Ms("align", "embed")) : null);
    }

    /// <summary>With <c>status=true</c>, the models behind the answer (CompreFace's <c>plugins_versions</c>), else null.</summary>
    public static Dictionary<string, string>? Versions(CompreFaceQuery query, FacePipeline pipeline) => query.Status
        ? new() { ["detector"] = "visage." + pipeline.Analyzer.Options.Detection.Detector, ["calculator"] = pipeline.Analyzer.ModelId }
        : null;
}
