using Visage.Matching;
using Visage.Matching.OpenSet;

namespace Visage.Gallery.Search;

/// <summary>
/// Per person: name, face count, the chain of their face slots, and (once a search by person first asks for them) the
/// mean descriptor, read from the index's <see cref="GallerySummary"/> (which keeps each person's sum in double, so
/// many adds and removes do not drift) and refreshed whenever one of their faces comes or goes. The means are rows of
/// their own (id = owner = person id), of the same kind as the faces' rows (a compressed index searches its persons
/// through lists too), built on first use.
/// Not thread-safe for writes: <see cref="GalleryIndex"/> guards it (reads may build the means concurrently).
/// </summary>
/// <param name="width">Values per descriptor.</param>
/// <param name="summary">The index's summary, updated before each face is counted in or out here.</param>
/// <param name="newMeans">Makes the rows that hold the means, for a given number of persons.</param>
internal sealed class PersonCentroids(int width, GallerySummary summary, Func<int, IFaceRows> newMeans) : IDisposable
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

    /// <summary>Counts a face at <paramref name="faceSlot"/> (already in the faces' rows and the summary).</summary>
    public void Add(long personId, string name, int faceSlot)
    {
        if (faceSlot >= _next.Length) Array.Resize(ref _next, Math.Max(faceSlot + 1, 2 * _next.Length));
        var added = !_persons.TryGetValue(personId, out var entry);
        if (added) _persons[personId] = entry = new Entry(name);
        entry!.Name = name;
        entry.Faces++;
        _next[faceSlot] = entry.Head;
        entry.Head = faceSlot;
        if (_means is { } means) Refresh(personId, entry, means);
    }

    /// <summary>Forgets the face at <paramref name="faceSlot"/> (already taken out of the summary).</summary>
    public void Remove(long personId, int faceSlot)
    {
        var entry = _persons[personId];
        Unlink(entry, faceSlot);
        if (--entry.Faces > 0)
        {
            if (_means is { } means) Refresh(personId, entry, means);
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
    public int Nearest(ReadOnlySpan<float> query, DistanceMetric metric, Span<Hit> best) => Means().Nearest(query, metric, best);

    /// <summary>A person's mean descriptor, or null when the person has no face.</summary>
    public float[]? MeanOf(long personId)
    {
        var mean = new float[width];
        return summary.CentroidOf(personId, mean) ? mean : null;
    }

    public void Dispose() => _means?.Dispose();

    /// <summary>The means, built from the summary the first time.</summary>
    private IFaceRows Means()
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
                summary.CentroidOf(personId, values.AsSpan(pending * width, width));
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

    private void Refresh(long personId, Entry entry, IFaceRows means)
    {
        Span<float> mean = stackalloc float[width];
        summary.CentroidOf(personId, mean);
        if (entry.MeanSlot == None) entry.MeanSlot = means.Add(personId, personId, mean);
        else means.Replace(entry.MeanSlot, mean);
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
