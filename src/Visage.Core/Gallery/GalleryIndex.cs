using Visage.Faces;
using Visage.Matching;

namespace Visage.Gallery;

/// <summary>
/// An exact in-memory index of the descriptors of one model id: every vector in one contiguous <c>float[]</c>
/// (grown by doubling) beside parallel face and person ids, searched by a SIMD linear scan with top-k selection and
/// no allocation per face, plus each person's mean descriptor for <see cref="MatchMode.Centroid"/>.
/// </summary>
/// <remarks>
/// Thread safety: a <see cref="ReaderWriterLockSlim"/> lets any number of searches run together while writes wait
/// for them and run alone (a waiting write holds back new searches, so writes are not starved). Capacity: about
/// 16 million faces (the largest <c>float[]</c>), 512 MB per million.
/// </remarks>
public sealed class GalleryIndex : IDisposable
{
    // Above this K the neighbour buffer goes on the heap rather than the stack.
    private const int MaxStackK = 64;

    private readonly ReaderWriterLockSlim _lock = new(LockRecursionPolicy.NoRecursion);
    private readonly VectorRows _faces; // id = face id, owner = person id
    private readonly Dictionary<long, int> _slotOfFace = [];
    private readonly PersonCentroids _persons = new();
    private readonly Func<long, string> _nameOf;

    /// <summary>Creates an empty index for descriptors of <paramref name="modelId"/>.</summary>
    /// <param name="modelId">The only model id this index accepts.</param>
    /// <param name="initialCapacity">Faces to make room for up front (it grows by doubling).</param>
    public GalleryIndex(string modelId, int initialCapacity = 1024)
    {
        ArgumentNullException.ThrowIfNull(modelId);
        ModelId = modelId;
        _faces = new VectorRows(FaceEmbedding.Dimensions, initialCapacity);
        _nameOf = _persons.NameOf;
    }

    /// <summary>The model id of every descriptor in the index.</summary>
    public string ModelId { get; }

    /// <summary>Number of faces.</summary>
    public int Count => Read(() => _faces.Count);

    /// <summary>Number of persons with at least one face.</summary>
    public int PersonCount => Read(() => _persons.Count);

    /// <summary>True when the face is in the index.</summary>
    public bool Contains(long faceId) => Read(() => _slotOfFace.ContainsKey(faceId));

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
            if (_slotOfFace.ContainsKey(faceId)) throw new ArgumentException($"face {faceId} is already in the index", nameof(faceId));
            _slotOfFace[faceId] = _faces.Add(faceId, personId, vector);
            _persons.Add(personId, personName, vector);
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
            if (!_slotOfFace.TryGetValue(faceId, out var slot)) return false;
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

    /// <summary>Decides who <paramref name="embedding"/> is, by the rule of <paramref name="options"/> (see <see cref="MatchDecision"/>).</summary>
    /// <exception cref="ArgumentException">The embedding comes from another model than <see cref="ModelId"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The options are invalid.</exception>
    public Match Match(FaceEmbedding embedding, MatchingOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(embedding);
        if (embedding.ModelId != ModelId)
            throw new ArgumentException($"the query comes from model '{embedding.ModelId}', the gallery holds model '{ModelId}'", nameof(embedding));
        return Match(embedding.Vector, options);
    }

    /// <summary>Decides who <paramref name="query"/> (a descriptor of <see cref="ModelId"/>) is.</summary>
    /// <exception cref="ArgumentException">The query is not 128 long.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The options are invalid.</exception>
    public Match Match(ReadOnlySpan<float> query, MatchingOptions? options = null)
    {
        options ??= MatchingOptions.Default;
        options.Validate();
        CheckLength(query, nameof(query));
        var k = options.Mode == MatchMode.Knn ? options.K : 1;
        var neighbors = k <= MaxStackK ? stackalloc Neighbor[k] : new Neighbor[k];
        // One read lock around search and decision, so the names read belong to the same state as the distances.
        _lock.EnterReadLock();
        try
        {
            if (options.Mode == MatchMode.Centroid)
            {
                var nearest = _persons.Nearest(query, options.Metric);
                return MatchDecision.Centroid(nearest?.PersonId, nearest?.Distance ?? float.PositiveInfinity, options, _nameOf);
            }
            var found = NearestLocked(query, options.Metric, neighbors);
            return options.Mode == MatchMode.Knn
                ? MatchDecision.Knn(neighbors[..found], options, _nameOf)
                : MatchDecision.Nearest(neighbors[..found], options, _nameOf);
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
        var found = TopK.Scan(query, _faces, metric, hits);
        for (var i = 0; i < found; i++)
            destination[i] = new Neighbor(hits[i].Id, _faces.OwnerAt(hits[i].Slot), hits[i].Distance);
        return found;
    }

    private void RemoveAt(int slot)
    {
        var faceId = _faces.IdAt(slot);
        _persons.Remove(_faces.OwnerAt(slot), _faces.Row(slot)); // before the row is overwritten
        _slotOfFace.Remove(faceId);
        if (_faces.RemoveAt(slot) is { } moved) _slotOfFace[moved] = slot;
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
