using Visage.Faces;
using Visage.Matching;
using Visage.Matching.OpenSet;

namespace Visage.Gallery.Search;

/// <summary>
/// Per person: name and mean descriptor, the means in one contiguous block of float rows for the scan. The means are
/// read from the index's <see cref="GallerySummary"/>, which keeps each person's sum in double (so many adds and
/// removes do not drift), and refreshed whenever that person's faces change: O(dimensions) per face added or removed.
/// Kept for every gallery since the default decision (<see cref="MatchMode.OpenSet"/>) reads the nearest means.
/// Not thread-safe: <see cref="GalleryIndex"/> guards it.
/// </summary>
internal sealed class PersonCentroids
{
    private const int Width = FaceEmbedding.Dimensions;

    private readonly Dictionary<long, Entry> _persons = [];
    private readonly VectorRows _means = new(Width, 64); // id = owner = person id

    public int Count => _persons.Count;

    public string NameOf(long personId) => _persons[personId].Name;

    /// <summary>Brings a person in step after <paramref name="summary"/> counted a face of theirs in or out: their mean, or their removal with their last face.</summary>
    /// <param name="personId">The person.</param>
    /// <param name="name">Their name, or null to keep the one held.</param>
    /// <param name="summary">The index's summary, already updated.</param>
    public void Refresh(long personId, string? name, GallerySummary summary)
    {
        if (summary.FacesOf(personId) == 0)
        {
            if (_persons.Remove(personId, out var gone) && _means.RemoveAt(gone.Slot) is { } moved) _persons[moved].Slot = gone.Slot;
            return;
        }
        if (!_persons.TryGetValue(personId, out var entry))
            _persons[personId] = entry = new Entry(name ?? throw new ArgumentNullException(nameof(name)), _means.Add(personId, personId, new float[Width]));
        if (name is not null) entry.Name = name;
        summary.CentroidOf(personId, _means.Row(entry.Slot));
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

    /// <summary>The persons whose means are nearest (Euclidean), ascending, in <paramref name="best"/>; returns how many.</summary>
    public int Nearest(ReadOnlySpan<float> query, Span<Hit> best) => TopK.Scan(query, _means, DistanceMetric.Euclidean, best);

    /// <summary>A copy of a person's mean descriptor, or null.</summary>
    public float[]? MeanOf(long personId) => _persons.TryGetValue(personId, out var entry) ? _means.Row(entry.Slot).ToArray() : null;

    private sealed class Entry(string name, int slot)
    {
        public string Name = name;
        public int Slot = slot;
    }
}
