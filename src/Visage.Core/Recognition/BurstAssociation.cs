using Visage.Faces;

namespace Visage.Recognition;

/// <summary>
/// Which faces of a burst (frames of one camera a moment apart, oldest first) are the same face: each face of the last
/// frame is followed back frame by frame to the face whose box overlaps its chain's latest box most, one face per
/// chain and frame, with at least <see cref="MinimumOverlap"/> intersection over union. A face that moved too far, or
/// one of two people who crossed, simply ends its chain there: it is decided from fewer frames, never from another
/// person's.
/// </summary>
public static class BurstAssociation
{
    /// <summary>
    /// Least intersection over union of two boxes taken for the same face in consecutive frames: a 150 px face that
    /// moved 40 px between frames 200 ms apart still overlaps 0.58; two faces side by side do not overlap at all.
    /// </summary>
    public const double MinimumOverlap = 0.3;

    /// <summary>
    /// The chains of the last frame's faces (at most <paramref name="maxFaces"/>, in that frame's order), each oldest
    /// first and ending with the last frame's face.
    /// </summary>
    /// <param name="frames">The faces of each frame, oldest frame first.</param>
    /// <param name="maxFaces">The most faces of the last frame followed.</param>
    /// <exception cref="ArgumentException">No frame.</exception>
    public static IReadOnlyList<IReadOnlyList<Face>> Chains(IReadOnlyList<IReadOnlyList<Face>> frames, int maxFaces = int.MaxValue)
    {
        if (frames.Count == 0) throw new ArgumentException("a burst needs at least one frame", nameof(frames));
        var chains = frames[^1].Take(maxFaces).Select(f => new List<Face> { f }).ToList();
        var open = chains.ToList(); // chains still followed: a chain that found nothing in a frame stops there
        for (var frame = frames.Count - 2; frame >= 0 && open.Count > 0; frame--)
        {
            var pairs = new List<(double Overlap, List<Face> Chain, Face Face)>();
            foreach (var chain in open)
                foreach (var face in frames[frame])
                    if (chain[0].Box.IoU(face.Box) is var overlap && overlap >= MinimumOverlap) pairs.Add((overlap, chain, face));
            var taken = new HashSet<Face>(ReferenceEqualityComparer.Instance);
            var extended = new HashSet<List<Face>>(ReferenceEqualityComparer.Instance);
            foreach (var (_, chain, face) in pairs.OrderByDescending(p => p.Overlap))
                if (!extended.Contains(chain) && taken.Add(face))
                {
                    chain.Insert(0, face);
                    extended.Add(chain);
                }
            open.RemoveAll(c => !extended.Contains(c));
        }
        return chains;
    }
}
