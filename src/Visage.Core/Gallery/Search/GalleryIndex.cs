using Visage.Faces;
using Visage.Matching;
using Visage.Matching.OpenSet;

namespace Visage.Gallery.Search;

/// <summary>
/// An exact in-memory index of the descriptors of one model id: every vector in one contiguous <c>float[]</c>
/// (grown by doubling) beside parallel face and person ids, searched by a SIMD linear scan with top-k selection and
/// no allocation per face, plus each person's mean descriptor and the <see cref="GallerySummary"/> the open-set rule
/// decides with (<see cref="NearestPersons"/>), kept in step with every add and remove. Euclidean searches
/// of larger galleries first scan an 8-bit copy of the vectors, then re-rank the few rows that can still be among
/// the nearest with the float32 distance: the same answer as a float32 scan, for a quarter of the memory traffic.
/// </summary>
/// <remarks>
/// Thread safety: a <see cref="ReaderWriterLockSlim"/> lets any number of searches run together while writes wait
/// for them and run alone (a waiting write holds back new searches, so writes are not starved). Capacity: about
/// 16 million faces (the largest <c>float[]</c>); per million faces 512 MB of float32 vectors, 140 MB of 8-bit codes
/// with their scales and error bounds, 16 MB of face and person ids and 8 MB of face-id map (684 MB measured in all),
/// plus per person their name, their mean (512 bytes) and the summary's double sum (about 1.1 KB).
/// </remarks>
public sealed class GalleryIndex : IDisposable
{
    // Above this K the neighbour buffer goes on the heap rather than the stack.
    private const int MaxStackK = 64;

    // Below this many faces the float32 scan is as fast as two passes (the rows fit in cache).
    internal const int QuantizedMinRows = 2048;

    private readonly ReaderWriterLockSlim _lock = new(LockRecursionPolicy.NoRecursion);
    private readonly VectorRows _faces; // id = face id, owner = person id
    private readonly QuantizedRows _codes; // the same rows, slot for slot, in 8 bits
    private readonly SlotMap _slotOfFace;
    private readonly PersonCentroids _persons = new();
    private readonly GallerySummary _summary = new(FaceEmbedding.Dimensions);

    /// <summary>Creates an empty index for descriptors of <paramref name="modelId"/>.</summary>
    /// <param name="modelId">The only model id this index accepts.</param>
    /// <param name="initialCapacity">Faces to make room for up front (it grows by doubling): the gallery's size when
    /// loading one, so that no memory is left unused.</param>
    public GalleryIndex(string modelId, int initialCapacity = 1024)
    {
        ArgumentNullException.ThrowIfNull(modelId);
        ModelId = modelId;
        _faces = new VectorRows(FaceEmbedding.Dimensions, initialCapacity);
        _codes = new QuantizedRows(FaceEmbedding.Dimensions, initialCapacity);
        _slotOfFace = new SlotMap(_faces.IdAt, initialCapacity);
    }

    /// <summary>The model id of every descriptor in the index.</summary>
    public string ModelId { get; }

    /// <summary>Number of faces.</summary>
    public int Count => Read(() => _faces.Count);

    /// <summary>Number of persons with at least one face.</summary>
    public int PersonCount => Read(() => _persons.Count);

    /// <summary>True when the face is in the index.</summary>
    public bool Contains(long faceId) => Read(() => _slotOfFace.TryGet(faceId, out _));

    /// <summary>Adds a face.</summary>
    /// <param name="faceId">The store's face id.</param>
    /// <param name="personId">Whose face it is.</param>
    /// <param name="personName">The person's name (replaces the name held for that person).</param>
    /// <param name="vector">The 128 descriptor values (copied).</param>
    /// <exception cref="ArgumentException">The vector is not 128 long, or the face id is already present.</exception>
    public void Add(long faceId, long personId, string personName, ReadOnlySpan<float> vector)
    {
        ArgumentNullException.ThrowIfNull(personName);
        CheckLength(vector, nameof(vector));
        _lock.EnterWriteLock();
        try
        {
            if (_slotOfFace.TryGet(faceId, out _)) throw new ArgumentException($"face {faceId} is already in the index", nameof(faceId));
            _slotOfFace.Add(faceId, _faces.Add(faceId, personId, vector));
            _codes.Add(vector);
            _summary.Add(personId, vector);
            _persons.Refresh(personId, personName, _summary);
        }
        finally { _lock.ExitWriteLock(); }
    }

    /// <summary>Removes a face.</summary>
    /// <returns>False when the face was not in the index.</returns>
    public bool Remove(long faceId)
    {
        _lock.EnterWriteLock();
        try
        {
            if (!_slotOfFace.TryGet(faceId, out var slot)) return false;
            RemoveAt(slot);
            return true;
        }
        finally { _lock.ExitWriteLock(); }
    }

    /// <summary>Removes every face of a person.</summary>
    /// <returns>How many faces were removed.</returns>
    public int RemovePerson(long personId)
    {
        _lock.EnterWriteLock();
        try
        {
            var removed = 0;
            // Backwards, so the row moved into a hole has already been looked at.
            for (var slot = _faces.Count - 1; slot >= 0; slot--)
            {
                if (_faces.OwnerAt(slot) != personId) continue;
                RemoveAt(slot);
                removed++;
            }
            return removed;
        }
        finally { _lock.ExitWriteLock(); }
    }

    /// <summary>Changes the name answered for a person (no-op when the person has no face here).</summary>
    public void RenamePerson(long personId, string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        _lock.EnterWriteLock();
        try { _persons.Rename(personId, name); }
        finally { _lock.ExitWriteLock(); }
    }

    /// <summary>
    /// The nearest faces to <paramref name="query"/>, ascending by distance (equal distances by ascending face id),
    /// written to <paramref name="destination"/>: as many as it holds, or every face when there are fewer.
    /// </summary>
    /// <returns>How many neighbours were written.</returns>
    /// <exception cref="ArgumentException">The query is not 128 long.</exception>
    public int Nearest(ReadOnlySpan<float> query, DistanceMetric metric, Span<Neighbor> destination)
    {
        CheckLength(query, nameof(query));
        if (destination.IsEmpty) return 0;
        _lock.EnterReadLock();
        try { return NearestLocked(query, metric, destination); }
        finally { _lock.ExitReadLock(); }
    }

    /// <summary>
    /// The <paramref name="k"/> nearest faces (Euclidean) to each of <paramref name="queries"/>, ascending, as
    /// <see cref="Nearest"/> answers them; the gallery is read once per block of rows for all queries together and
    /// split over up to <paramref name="threads"/> threads, so a batch costs far less than its queries one by one.
    /// </summary>
    /// <exception cref="ArgumentException">A query is not 128 long.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="k"/> or <paramref name="threads"/> is below 1.</exception>
    public Neighbor[][] NearestMany(IReadOnlyList<float[]> queries, int k, int threads = 1)
    {
        ArgumentNullException.ThrowIfNull(queries);
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        foreach (var q in queries) CheckLength(q, nameof(queries));
        _lock.EnterReadLock();
        try { return SearchLocked(queries, k, threads); }
        finally { _lock.ExitReadLock(); }
    }

    /// <summary>
    /// The person whose mean descriptor is nearest to <paramref name="query"/> (ties to the smaller person id), with
    /// the name held at that moment; null for an empty index.
    /// </summary>
    /// <exception cref="ArgumentException">The query is not 128 long.</exception>
    public PersonDistance? NearestPerson(ReadOnlySpan<float> query, DistanceMetric metric)
    {
        CheckLength(query, nameof(query));
        _lock.EnterReadLock();
        try
        {
            return _persons.Nearest(query, metric) is { } p ? new PersonDistance(p.PersonId, _persons.NameOf(p.PersonId), p.Distance) : null;
        }
        finally { _lock.ExitReadLock(); }
    }

    /// <summary>
    /// The <paramref name="count"/> persons whose mean descriptors are nearest to <paramref name="query"/> (Euclidean,
    /// ascending; fewer when fewer are enrolled), each as the open-set rule reads them (distance, face count, spread),
    /// with their names and the gallery's figures, all read at one moment.
    /// </summary>
    /// <exception cref="ArgumentException">The query is not 128 long.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is below 1.</exception>
    public NearbyPersons NearestPersons(ReadOnlySpan<float> query, int count)
    {
        CheckLength(query, nameof(query));
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        _lock.EnterReadLock();
        try
        {
            var hits = count <= MaxStackK ? stackalloc Hit[count] : new Hit[count];
            var found = _persons.Nearest(query, hits);
            var candidates = new PersonCandidate[found];
            var names = new string[found];
            for (var i = 0; i < found; i++)
            {
                candidates[i] = _summary.Candidate(hits[i].Id, hits[i].Distance);
                names[i] = _persons.NameOf(hits[i].Id);
            }
            return new NearbyPersons(candidates, names, _summary.Statistics);
        }
        finally { _lock.ExitReadLock(); }
    }

    /// <summary>
    /// The distance from <paramref name="query"/> to the nearest of a person's faces, with the person's name; null when
    /// the person has no face here. Scans the person ids of every face (no vector is read but the person's).
    /// </summary>
    /// <exception cref="ArgumentException">The query is not 128 long.</exception>
    public PersonDistance? DistanceToPerson(long personId, ReadOnlySpan<float> query, DistanceMetric metric)
    {
        CheckLength(query, nameof(query));
        _lock.EnterReadLock();
        try
        {
            var owners = _faces.Owners;
            var best = float.PositiveInfinity;
            var found = false;
            for (var slot = 0; slot < owners.Length; slot++)
            {
                if (owners[slot] != personId) continue;
                found = true;
                best = MathF.Min(best, FaceDistance.Compute(metric, query, _faces.Row(slot)));
            }
            return found ? new PersonDistance(personId, _persons.NameOf(personId), best) : null;
        }
        finally { _lock.ExitReadLock(); }
    }

    /// <summary>A copy of a person's mean descriptor, or null when the person has no face here.</summary>
    public float[]? CentroidOf(long personId) => Read(() => _persons.MeanOf(personId));

    /// <summary>Releases the lock.</summary>
    public void Dispose() => _lock.Dispose();

    private int NearestLocked(ReadOnlySpan<float> query, DistanceMetric metric, Span<Neighbor> destination)
    {
        var hits = destination.Length <= MaxStackK ? stackalloc Hit[destination.Length] : new Hit[destination.Length];
        int found;
        if (metric == DistanceMetric.Euclidean && _faces.Count >= QuantizedMinRows && new QuantizedQuery(query, hits.Length) is { IsFinite: true } q)
        {
            QuantizedScan.Filter(_codes, 0, _codes.Count, [q]);
            found = QuantizedScan.Rank(q, _faces, hits);
        }
        else found = TopK.Scan(query, _faces, metric, hits);
        for (var i = 0; i < found; i++)
            destination[i] = NeighborAt(hits[i]);
        return found;
    }

    private Neighbor[][] SearchLocked(IReadOnlyList<float[]> queries, int k, int threads)
    {
        var results = new Neighbor[queries.Count][];
        var count = _faces.Count;
        if (count < QuantizedMinRows)
        {
            for (var i = 0; i < queries.Count; i++) results[i] = NearestArray(queries[i], k);
            return results;
        }
        // One set of query states per partition of the rows; partitions are merged before the exact re-rank.
        var parts = Math.Min(threads, Math.Max(1, count / QuantizedMinRows));
        var states = new QuantizedQuery[parts][];
        for (var p = 0; p < parts; p++) states[p] = queries.Select(q => new QuantizedQuery(q, k)).ToArray();
        Parallel.For(0, parts, new ParallelOptions { MaxDegreeOfParallelism = parts },
            p => QuantizedScan.Filter(_codes, (int)((long)count * p / parts), (int)((long)count * (p + 1) / parts), states[p]));
        var hits = new Hit[k];
        for (var i = 0; i < queries.Count; i++)
        {
            var q = states[0][i];
            if (!q.IsFinite)
            {
                results[i] = NearestArray(queries[i], k);
                continue;
            }
            for (var p = 1; p < parts; p++) q.Merge(states[p][i]);
            var found = QuantizedScan.Rank(q, _faces, hits);
            results[i] = new Neighbor[found];
            for (var j = 0; j < found; j++) results[i][j] = NeighborAt(hits[j]);
        }
        return results;
    }

    private Neighbor NeighborAt(Hit hit)
    {
        var owner = _faces.OwnerAt(hit.Slot);
        return new Neighbor(hit.Id, owner, _persons.NameOf(owner), hit.Distance);
    }

    private Neighbor[] NearestArray(ReadOnlySpan<float> query, int k)
    {
        var found = new Neighbor[k];
        return found[..NearestLocked(query, DistanceMetric.Euclidean, found)];
    }

    private void RemoveAt(int slot)
    {
        var faceId = _faces.IdAt(slot);
        var owner = _faces.OwnerAt(slot);
        _summary.Remove(owner, _faces.Row(slot)); // before the row is overwritten
        _persons.Refresh(owner, null, _summary);
        // The map reads its keys from the rows, so it is updated while every row still holds its own id.
        _slotOfFace.Remove(faceId);
        var last = _faces.Count - 1;
        if (slot != last) _slotOfFace.Move(_faces.IdAt(last), slot);
        _faces.RemoveAt(slot);
        _codes.RemoveAt(slot);
    }

    private T Read<T>(Func<T> read)
    {
        _lock.EnterReadLock();
        try { return read(); }
        finally { _lock.ExitReadLock(); }
    }

    private static void CheckLength(ReadOnlySpan<float> vector, string paramName)
    {
        if (vector.Length != FaceEmbedding.Dimensions)
            throw new ArgumentException($"a descriptor has {FaceEmbedding.Dimensions} values, got {vector.Length}", paramName);
    }
}
