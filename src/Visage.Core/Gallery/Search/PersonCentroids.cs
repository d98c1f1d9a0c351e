using Visage.Matching;

namespace Visage.Gallery.Search;

/// <summary>
/// Per person: name, face count, the chain of their face slots, and (once a centroid is first asked for) the mean
/// descriptor, recomputed from the person's faces whenever one comes or goes: summed in double from the stored
/// vectors, so a mean is exact and never drifts, and no per-person sums are held (a 10-million-face index cannot
/// afford 1 KB per person). The means are rows of their own (id = owner = person id), of the same kind as the faces'
/// rows, built on first use because most galleries never match by centroid.
/// Not thread-safe for writes: <see cref="GalleryIndex"/> guards it (reads may build the means concurrently).
/// </summary>
/// <param name="width">Values per descriptor.</param>
/// <param name="newMeans">Makes the rows that hold the means, for a given number of persons.</param>
internal sealed class PersonCentroids(int width, Func<int, IFaceRows> newMeans) : IDisposable
{
    private const int None = -1;

    private readonly Dictionary<long, Entry> _persons = [];
    private readonly Lock _build = new();
    private int[] _next = [];            // per face slot: the person's next face slot, or None
    private volatile IFaceRows? _means;  // null until first needed

    public int Count => _persons.Count;

    public string NameOf(long personId) => _persons[personId].Name;

    /// <summary>Whether the person has a face.</summary>
    public bool Contains(long personId) => _persons.ContainsKey(personId);

    /// <summary>The person's first face slot (None when the person has no face); <see cref="NextFace"/> walks on.</summary>
    public int FirstFace(long personId) => _persons.TryGetValue(personId, out var entry) ? entry.Head : None;

    /// <summary>The face slot after <paramref name="slot"/> in its person's chain, or -1 at the end.</summary>
    public int NextFace(int slot) => _next[slot];

    /// <summary>Counts a face at <paramref name="faceSlot"/> (already in <paramref name="faces"/>).</summary>
    public void Add(long personId, string name, int faceSlot, IFaceRows faces)
    {
        if (faceSlot >= _next.Length) Array.Resize(ref _next, Math.Max(faceSlot + 1, 2 * _next.Length));
        var added = !_persons.TryGetValue(personId, out var entry);
        if (added) _persons[personId] = entry = new Entry(name);
        entry!.Name = name;
        entry.Faces++;
        _next[faceSlot] = entry.Head;
        entry.Head = faceSlot;
        if (_means is { } means) Refresh(personId, entry, faces, means);
    }

    /// <summary>Forgets the face at <paramref name="faceSlot"/> (still in <paramref name="faces"/>: the other faces' rows are read).</summary>
    public void Remove(long personId, int faceSlot, IFaceRows faces)
    {
        var entry = _persons[personId];
        Unlink(entry, faceSlot);
        if (--entry.Faces > 0)
        {
            if (_means is { } means) Refresh(personId, entry, faces, means);
            return;
        }
        _persons.Remove(personId);
        if (_means?.RemoveAt(entry.MeanSlot) is { } moved) _persons[moved].MeanSlot = entry.MeanSlot;
    }

    /// <summary>The face row at <paramref name="from"/> now lives at <paramref name="to"/> (the rows moved their last into a hole).</summary>
    public void MoveFace(long personId, int from, int to)
    {
        var entry = _persons[personId];
        if (entry.Head == from) entry.Head = to;
        else
        {
            var at = entry.Head;
            while (_next[at] != from) at = _next[at];
            _next[at] = to;
        }
        _next[to] = _next[from];
    }

    public void Rename(long personId, string name)
    {
        if (_persons.TryGetValue(personId, out var entry)) entry.Name = name;
    }

    /// <summary>The persons whose means are nearest (hit id = person id), ascending, ties to the smaller person id.</summary>
    public int Nearest(ReadOnlySpan<float> query, DistanceMetric metric, IFaceRows faces, Span<Hit> best) => Means(faces).Nearest(query, metric, best);

    /// <summary>A person's mean descriptor, computed from their faces, or null when the person has no face.</summary>
    public float[]? MeanOf(long personId, IFaceRows faces)
    {
        if (!_persons.TryGetValue(personId, out var entry)) return null;
        var mean = new float[width];
        Mean(entry, faces, mean);
        return mean;
    }

    public void Dispose() => _means?.Dispose();

    /// <summary>The means, built from the faces the first time.</summary>
    private IFaceRows Means(IFaceRows faces)
    {
        if (_means is { } built) return built;
        lock (_build)
        {
            if (_means is { } other) return other;
            var means = newMeans(Math.Max(64, _persons.Count));
            // In batches: a compressed index codes a batch of means on every build thread.
            const int Batch = 8192;
            var ids = new long[Batch];
            var values = new float[Batch * width];
            var pending = 0;
            foreach (var (personId, entry) in _persons)
            {
                Mean(entry, faces, values.AsSpan(pending * width, width));
                ids[pending++] = personId;
                entry.MeanSlot = means.Count + pending - 1;
                if (pending < Batch) continue;
                means.AddMany(ids, ids, values);
                pending = 0;
            }
            means.AddMany(ids.AsSpan(0, pending), ids.AsSpan(0, pending), values.AsSpan(0, pending * width));
            _means = means; // published last: readers see either nothing or complete means
            return means;
        }
    }

    private void Refresh(long personId, Entry entry, IFaceRows faces, IFaceRows means)
    {
        Span<float> mean = stackalloc float[width];
        Mean(entry, faces, mean);
        if (entry.MeanSlot == None) entry.MeanSlot = means.Add(personId, personId, mean);
        else means.Replace(entry.MeanSlot, mean);
    }

    private void Mean(Entry entry, IFaceRows faces, Span<float> mean)
    {
        Span<double> sum = stackalloc double[mean.Length];
        for (var slot = entry.Head; slot != None; slot = _next[slot])
        {
            var row = faces.Row(slot);
            for (var i = 0; i < sum.Length; i++) sum[i] += row[i];
        }
        for (var i = 0; i < mean.Length; i++) mean[i] = (float)(sum[i] / entry.Faces);
    }

    private void Unlink(Entry entry, int slot)
    {
        if (entry.Head == slot)
        {
            entry.Head = _next[slot];
            return;
        }
        var at = entry.Head;
        while (_next[at] != slot) at = _next[at];
        _next[at] = _next[slot];
    }

    private sealed class Entry(string name)
    {
        public string Name = name;
        public int Faces;
        public int Head = None;
        public int MeanSlot = None;
    }
}
