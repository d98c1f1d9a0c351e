using Visage.Faces;
using Visage.Matching;

namespace Visage.Gallery;

/// <summary>
/// Per person: name, face count and mean descriptor, updated incrementally as faces come and go. Sums are kept in
/// double so that many adds and removes do not drift; the float means sit in one contiguous block for the scan.
/// Not thread-safe: <see cref="GalleryIndex"/> guards it.
/// </summary>
internal sealed class PersonCentroids
{
    private readonly Dictionary<long, Entry> _persons = [];
    private readonly VectorRows _means = new(FaceEmbedding.Dimensions, 64);

    public int Count => _persons.Count;

    public string NameOf(long personId) => _persons[personId].Name;

    public void Add(long personId, string name, ReadOnlySpan<float> vector)
    {
        if (!_persons.TryGetValue(personId, out var entry))
        {
            entry = new Entry(name, _means.Add(personId, personId, vector));
            _persons[personId] = entry;
        }
        entry.Name = name;
        entry.Faces++;
        for (var i = 0; i < vector.Length; i++) entry.Sum[i] += vector[i];
        UpdateMean(entry);
    }

    public void Remove(long personId, ReadOnlySpan<float> vector)
    {
        var entry = _persons[personId];
        if (--entry.Faces == 0)
        {
            _persons.Remove(personId);
            if (_means.RemoveAt(entry.Slot) is { } moved) _persons[moved].Slot = entry.Slot;
            return;
        }
        for (var i = 0; i < vector.Length; i++) entry.Sum[i] -= vector[i];
        UpdateMean(entry);
    }

    public void Rename(long personId, string name)
    {
        if (_persons.TryGetValue(personId, out var entry)) entry.Name = name;
    }

    /// <summary>The person whose mean is nearest (ties to the smaller person id), or null when there is none.</summary>
    public (long PersonId, float Distance)? Nearest(ReadOnlySpan<float> query, DistanceMetric metric)
    {
        Span<Hit> best = stackalloc Hit[1];
        return TopK.Scan(query, _means, metric, best) == 0 ? null : (best[0].Id, best[0].Distance);
    }

    /// <summary>A copy of a person's mean descriptor (for tests and diagnostics), or null.</summary>
    public float[]? MeanOf(long personId) =>
        _persons.TryGetValue(personId, out var entry) ? _means.Row(entry.Slot).ToArray() : null;

    private void UpdateMean(Entry entry)
    {
        var mean = _means.Row(entry.Slot);
        for (var i = 0; i < mean.Length; i++) mean[i] = (float)(entry.Sum[i] / entry.Faces);
    }

    private sealed class Entry(string name, int slot)
    {
        public string Name = name;
        public int Slot = slot;
        public int Faces;
        public readonly double[] Sum = new double[FaceEmbedding.Dimensions];
    }
}
