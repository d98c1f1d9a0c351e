namespace Visage.Recognition.OpenSet;

/// <summary>One enrolled person near the probe, as the gallery search reports it (<see cref="GallerySummary.Candidate"/> fills it).</summary>
/// <param name="PersonId">The person.</param>
/// <param name="Distance">Euclidean distance from the probe descriptor (the mean of the probe's descriptors) to the person's centroid.</param>
/// <param name="FaceCount">Faces enrolled for the person.</param>
/// <param name="Spread">Mean squared distance of the person's faces to their centroid (0 for a single face).</param>
public readonly record struct PersonCandidate(long PersonId, float Distance, int FaceCount, float Spread);

/// <summary>
/// How many descriptors of the same face the probe averages (a burst of webcam frames, a camera track) and how much
/// they scatter. Searching with the mean and adding the scatter back (<see cref="OpenSetRule"/> uses
/// <c>D² + Spread</c>, which is the mean over the frames of their squared distances to the centroid) keeps the
/// single-descriptor calibration: the expected value is unchanged and only its noise shrinks.
/// </summary>
/// <param name="Count">Descriptors averaged (at least 1).</param>
/// <param name="Spread">Mean squared distance of the descriptors to their mean (0 for one).</param>
public readonly record struct ProbeFrames(int Count, float Spread)
{
    /// <summary>One descriptor.</summary>
    public static ProbeFrames Single { get; } = new(1, 0);

    /// <summary>The mean of several descriptors of one face (the vector to search with) and their <see cref="ProbeFrames"/>.</summary>
    /// <exception cref="ArgumentException">No descriptor, or descriptors of different lengths.</exception>
    public static (float[] Mean, ProbeFrames Frames) Combine(IReadOnlyList<float[]> descriptors)
    {
        if (descriptors.Count == 0) throw new ArgumentException("no descriptor to combine", nameof(descriptors));
        var mean = new float[descriptors[0].Length];
        foreach (var d in descriptors)
        {
            if (d.Length != mean.Length) throw new ArgumentException("descriptors differ in length", nameof(descriptors));
            System.Numerics.Tensors.TensorPrimitives.Add(mean, d, mean);
        }
        System.Numerics.Tensors.TensorPrimitives.Divide(mean, descriptors.Count, mean);
        double spread = 0;
        foreach (var d in descriptors)
        {
            var distance = System.Numerics.Tensors.TensorPrimitives.Distance(d, mean);
            spread += distance * distance;
        }
        return (mean, new ProbeFrames(descriptors.Count, (float)(spread / descriptors.Count)));
    }
}
