using Visage.Faces;
using Visage.Matching;

namespace Visage.Gallery.Search;

/// <summary>
/// Per person: name and face count, and (once a centroid is first asked for) the mean descriptor, updated
/// incrementally as faces come and go. Sums are kept in double so that many adds and removes do not drift; the float
/// means sit in one contiguous block for the scan. The means are built on first use because most galleries never match
/// by centroid, and at 1.5 KB per person they would be the largest cost after the face rows themselves.
/// Not thread-safe for writes: <see cref="GalleryIndex"/> guards it (reads may build the means concurrently).
/// </summary>
internal sealed class PersonCentroids
{
    private const int Width = FaceEmbedding.Dimensions;

    private readonly Dictionary<long, Entry> _persons = [];
    private readonly Lock _build = new();
    private volatile VectorRows? _means; // id = owner = person id; null until first needed
    private double[] _sums = [];         // row i holds the sum behind _means row i

    public int Count => _persons.Count;

    public string NameOf(long personId) => _persons[personId].Name;

    public void Add(long personId, string name, ReadOnlySpan<float> vector)
    {
        if (!_persons.TryGetValue(personId, out var entry))
        {
            entry = new Entry(name);
            _persons[personId] = entry;
            if (_means is { } means) entry.Slot = AddRow(means, personId);
        }
        entry.Name = name;
        entry.Faces++;
        if (_means is not null) Accumulate(entry, vector, +1);
    }

    public void Remove(long personId, ReadOnlySpan<float> vector)
    {
        var entry = _persons[personId];
        if (--entry.Faces == 0)
        {
            _persons.Remove(personId);
            if (_means is { } means && means.RemoveAt(entry.Slot) is { } moved)
            {
                _persons[moved].Slot = entry.Slot;
                Sum(means.Count).CopyTo(Sum(entry.Slot));
            }
            return;
        }
        if (_means is not null) Accumulate(entry, vector, -1);
    }

    public void Rename(long personId, string name)
    {
        if (_persons.TryGetValue(personId, out var entry)) entry.Name = name;
    }

    /// <summary>The person whose mean is nearest (ties to the smaller person id), or null when there is none.</summary>
    public (long PersonId, float Distance)? Nearest(ReadOnlySpan<float> query, DistanceMetric metric, VectorRows faces)
    {
        Span<Hit> best = stackalloc Hit[1];
        return TopK.Scan(query, Means(faces), metric, best) == 0 ? null : (best[0].Id, best[0].Distance);
    }

    /// <summary>A copy of a person's mean descriptor (for tests and diagnostics), or null.</summary>
    public float[]? MeanOf(long personId, VectorRows faces) =>
        _persons.TryGetValue(personId, out var entry) ? Means(faces).Row(entry.Slot).ToArray() : null;

    /// <summary>The means, built from <paramref name="faces"/> (id = face, owner = person) the first time.</summary>
    private VectorRows Means(VectorRows faces)
    {
        if (_means is { } built) return built;
        lock (_build)
        {
            if (_means is { } other) return other;
            var means = new VectorRows(Width, Math.Max(64, _persons.Count));
            _sums = new double[Math.Max(64, _persons.Count) * Width];
            foreach (var (personId, entry) in _persons) entry.Slot = AddRow(means, personId);
            for (var slot = 0; slot < faces.Count; slot++)
            {
                var sum = Sum(_persons[faces.OwnerAt(slot)].Slot);
                var row = faces.Row(slot);
                for (var i = 0; i < Width; i++) sum[i] += row[i];
            }
            foreach (var entry in _persons.Values) UpdateMean(means, entry);
            _means = means; // published last: readers see either nothing or complete means
            return means;
        }
    }

    private int AddRow(VectorRows means, long personId)
    {
        var slot = means.Add(personId, personId, new float[Width]);
        if (_sums.Length < (slot + 1) * Width) Array.Resize(ref _sums, Math.Max(_sums.Length * 2, (slot + 1) * Width));
        Sum(slot).Clear();
        return slot;
    }

    private void Accumulate(Entry entry, ReadOnlySpan<float> vector, int sign)
    {
        var sum = Sum(entry.Slot);
        for (var i = 0; i < vector.Length; i++) sum[i] += sign * vector[i];
        UpdateMean(_means!, entry);
    }

    private void UpdateMean(VectorRows means, Entry entry)
    {
        var mean = means.Row(entry.Slot);
        var sum = Sum(entry.Slot);
        for (var i = 0; i < mean.Length; i++) mean[i] = (float)(sum[i] / entry.Faces);
    }

    private Span<double> Sum(int slot) => _sums.AsSpan(slot * Width, Width);

    private sealed class Entry(string name)
    {
        public string Name = name;
        public int Slot = -1;
        public int Faces;
    }
}
