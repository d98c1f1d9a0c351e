using Visage.Models;

namespace Visage.Evaluation.OpenSet;

/// <summary>
/// <c>visage eval DIR --openset</c>: the subject descriptor of every photo (from the analysis cache where possible,
/// as <see cref="Evaluator"/> computes it), optionally the frame stand-ins, then <see cref="OpenSetProtocol"/>.
/// </summary>
public sealed class OpenSetEvaluator(ModelRepository models)
{
    /// <summary>Evaluates one pipeline.</summary>
    /// <param name="dataset">Labeled photos, one folder per person.</param>
    /// <param name="variant">The pipeline and distance (the rule is Euclidean).</param>
    /// <param name="settings">Cache and decoder settings, and <see cref="EvalSettings.ShuffleLabels"/>.</param>
    /// <param name="openSet">How to deal galleries.</param>
    /// <param name="withFrames">Also compute mirrored and cropped descriptors and compare 1, 3 and 5 descriptors per probe.</param>
    /// <param name="progress">Progress of the descriptor passes.</param>
    public OpenSetReport Run(FaceDataset dataset, EvalVariant variant, EvalSettings settings, OpenSetSettings openSet, bool withFrames, IProgress<EvalProgress>? progress = null)
    {
        var subjects = new Evaluator(models).Subjects(dataset, variant, settings, progress);
        var embeddings = subjects.Select(s => s.Embedding).ToArray();
        if (settings.ShuffleLabels) new Random(settings.Seed).Shuffle(embeddings); // sanity check: everything should fall to chance
        var frames = withFrames ? FrameDescriptors.Compute(dataset, variant, settings, models, progress) : null;
        return OpenSetProtocol.Run(dataset, embeddings, frames, openSet, variant.ModelId);
    }
}
