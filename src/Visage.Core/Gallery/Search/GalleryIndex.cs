using Visage.Faces;
using Visage.Gallery.Search.Compressed;
using Visage.Gallery.Storage;
using Visage.Matching;
using Visage.Matching.OpenSet;

namespace Visage.Gallery.Search;

/// <summary>
/// The in-memory index of the descriptors of one model id: nearest faces, nearest persons by mean descriptor, and the
/// names to answer with. Two kinds of rows (<see cref="IsCompressed"/>): exact, every vector in one contiguous
/// <c>float[]</c> searched by a SIMD scan (an 8-bit first pass, then an exact re-rank: the same answer as a float32 scan);
/// or compressed, for galleries of millions, 4-bit codes in inverted lists scanned first and the best candidates
/// re-ranked from the float32 vectors in a file (answers measured by recall; see
/// <see cref="GalleryIndexOptions"/>). Each person's mean descriptor for <see cref="MatchMode.Centroid"/> is computed
/// from the gallery's <see cref="GallerySummary"/> (kept in step with every add and remove: the figures the open-set
/// rule decides with, <see cref="NearestPersons(ReadOnlySpan{float}, int)"/>) and placed in rows of the faces' kind on
/// first use.
/// </summary>
/// <remarks>
/// Thread safety: a <see cref="ReaderWriterLockSlim"/> lets any number of searches run together while writes wait
/// for them and run alone (a waiting write holds back new searches, so writes are not starved). Memory per million
/// faces: exact, 512 MB of float32 vectors, 140 MB of 8-bit codes with their scales and error bounds, 16 MB of face
/// and person ids, 8 MB of face-id map and 4 MB of person chains (684 MB measured before the chains); compressed,
/// about 60 MB in memory plus the file's pages a search touches (docs/BENCHMARKS.md). Plus per person their name and the summary's
/// double sums (about 1.1 KB), and the persons' means once a search by person asks for them.
/// </remarks>
public sealed partial class GalleryIndex : IDisposable
{
    // Above this K the neighbour buffer goes on the heap rather than the stack.
    private const int MaxStackK = 64;

    private readonly ReaderWriterLockSlim _lock = new(LockRecursionPolicy.NoRecursion);
    private readonly IFaceRows _faces; // id = face id, owner = person id
    private readonly SlotMap _slotOfFace;
    private readonly PersonCentroids _persons;
    private readonly IDisposable? _owned; // a compressed index's hold on its directory
    private string? _directory;           // a compressed index's directory
    private bool _unsaved;                // changed since built, opened or saved
    private readonly GallerySummary _summary = new(FaceEmbedding.Dimensions);

    /// <summary>Creates an empty exact index for descriptors of <paramref name="modelId"/>.</summary>
    /// <param name="modelId">The only model id this index accepts.</param>
    /// <param name="initialCapacity">Faces to make room for up front (it grows by doubling): the gallery's size when
    /// loading one, so that no memory is left unused.</param>
    public GalleryIndex(string modelId, int initialCapacity = 1024)
        : this(modelId, new ExactRows(FaceEmbedding.Dimensions, initialCapacity), persons => new ExactRows(FaceEmbedding.Dimensions, persons), initialCapacity)
    {
    }

    private GalleryIndex(string modelId, IFaceRows faces, Func<int, IFaceRows> newMeans, int capacity, IDisposable? owned = null)
    {
        _owned = owned;
        ArgumentNullException.ThrowIfNull(modelId);
        ModelId = modelId;
        _faces = faces;
        _slotOfFace = new SlotMap(_faces.IdAt, capacity);
        _persons = new PersonCentroids(FaceEmbedding.Dimensions, _summary, newMeans);
    }

    /// <summary>The model id of every descriptor in the index.</summary>
    public string ModelId { get; }

    /// <summary>Number of faces.</summary>
    public int Count => Read(() => _faces.Count);

    /// <summary>True when a compressed index changed since it was built, opened or last saved (see <see cref="Save"/>).</summary>
    public bool HasUnsavedChanges => Volatile.Read(ref _unsaved);

    /// <summary>The directory of a compressed index's files; null for an exact index.</summary>
    public string? Directory => _directory;

    /// <summary>True for a compressed index (codes in memory, float32 vectors in a file).</summary>
    public bool IsCompressed => _faces is ProbedRows;

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
            _unsaved = true;
            var slot = _faces.Add(faceId, personId, vector);
            _slotOfFace.Add(faceId, slot);
            _summary.Add(personId, vector); // before the person's mean is refreshed from it
            _persons.Add(personId, personName, slot);
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
            _unsaved = true;
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
            // The person's slots from the highest down: the row moved into each hole is then never one of theirs.
            var slots = new List<int>();
            for (var slot = _persons.FirstFace(personId); slot >= 0; slot = _persons.NextFace(slot)) slots.Add(slot);
            slots.Sort();
            _unsaved |= slots.Count > 0;
            for (var i = slots.Count - 1; i >= 0; i--) RemoveAt(slots[i]);
            return slots.Count;
        }
        finally { _lock.ExitWriteLock(); }
    }

    /// <summary>Changes the name answered for a person (no-op when the person has no face here).</summary>
    public void RenamePerson(long personId, string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        _lock.EnterWriteLock();
        try
        {
            _unsaved = true;
            _persons.Rename(personId, name);
        }
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
        Span<PersonDistance> nearest = new PersonDistance[1];
        return NearestPersons(query, metric, nearest) == 0 ? null : nearest[0];
    }

    /// <summary>
    /// The persons whose mean descriptors are nearest to <paramref name="query"/>, ascending (ties to the smaller person
    /// id), with their names: as many as <paramref name="destination"/> holds, or every person when there are fewer
    /// (the candidates <see cref="Matching.OpenSet.OpenSetRule"/> weighs).
    /// </summary>
    /// <returns>How many persons were written.</returns>
    /// <exception cref="ArgumentException">The query is not 128 long.</exception>
    public int NearestPersons(ReadOnlySpan<float> query, DistanceMetric metric, Span<PersonDistance> destination)
    {
        CheckLength(query, nameof(query));
        if (destination.IsEmpty) return 0;
        _lock.EnterReadLock();
        try
        {
            if (_persons.Count == 0) return 0;
            var hits = destination.Length <= MaxStackK ? stackalloc Hit[destination.Length] : new Hit[destination.Length];
            var found = _persons.Nearest(query, metric, hits);
            for (var i = 0; i < found; i++) destination[i] = new PersonDistance(hits[i].Id, _persons.NameOf(hits[i].Id), hits[i].Distance);
            return found;
        }
        finally { _lock.ExitReadLock(); }
    }

    /// <summary>
    /// The <paramref name="count"/> persons whose mean descriptors are nearest to <paramref name="query"/> (Euclidean,
    /// ascending; fewer when fewer are enrolled), each as the open-set rule reads them (distance, face count, spread),
    /// with their names and the gallery's figures, all read at one moment. A compressed index finds the means through
    /// its own lists (the nearest persons by recall, as its faces are), the first call building them.
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
            var found = _persons.Count == 0 ? 0 : _persons.Nearest(query, DistanceMetric.Euclidean, hits);
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
    /// The distance from <paramref name="query"/> to the nearest of a person's faces, with the person's name and that
    /// face's id; null when the person has no face here. Reads only that person's vectors.
    /// </summary>
    /// <exception cref="ArgumentException">The query is not 128 long.</exception>
    public PersonDistance? DistanceToPerson(long personId, ReadOnlySpan<float> query, DistanceMetric metric)
    {
        CheckLength(query, nameof(query));
        _lock.EnterReadLock();
        try
        {
            if (!_persons.Contains(personId)) return null;
            var best = float.PositiveInfinity;
            var bestSlot = -1;
            for (var slot = _persons.FirstFace(personId); slot >= 0; slot = _persons.NextFace(slot))
            {
                var distance = FaceDistance.Compute(metric, query, _faces.Row(slot));
                if (bestSlot >= 0 && distance >= best) continue;
                (best, bestSlot) = (distance, slot);
            }
            return bestSlot >= 0 ? new PersonDistance(personId, _persons.NameOf(personId), best, _faces.IdAt(bestSlot)) : null;
        }
        finally { _lock.ExitReadLock(); }
    }

    /// <summary>A copy of a person's mean descriptor, or null when the person has no face here.</summary>
    public float[]? CentroidOf(long personId) => Read(() => _persons.MeanOf(personId));

    /// <summary>The person of a face, or null when the face is not in the index.</summary>
    public long? PersonOf(long faceId) => Read<long?>(() => _slotOfFace.TryGet(faceId, out var slot) ? _faces.OwnerAt(slot) : null);

    /// <summary>Up to <paramref name="count"/> face ids spread evenly over the index (to check it against its store).</summary>
    internal long[] SampleFaceIds(int count) => Read(() =>
    {
        var n = Math.Min(count, _faces.Count);
        return Enumerable.Range(0, n).Select(i => _faces.IdAt((int)((long)_faces.Count * i / n))).ToArray();
    });

    /// <summary>A copy of a face's descriptor, or null when the face is not in the index.</summary>
    public float[]? VectorOf(long faceId) => Read(() => _slotOfFace.TryGet(faceId, out var slot) ? _faces.Row(slot).ToArray() : null);

    /// <summary>Releases the lock, and the files of a compressed index (without saving it: see <see cref="Save"/>).</summary>
    public void Dispose()
    {
        _persons.Dispose();
        _faces.Dispose();
        _owned?.Dispose();
        _lock.Dispose();
    }

    private int NearestLocked(ReadOnlySpan<float> query, DistanceMetric metric, Span<Neighbor> destination)
    {
        var hits = destination.Length <= MaxStackK ? stackalloc Hit[destination.Length] : new Hit[destination.Length];
        var found = _faces.Nearest(query, metric, hits);
        for (var i = 0; i < found; i++)
            destination[i] = NeighborAt(hits[i]);
        return found;
    }

    private Neighbor[][] SearchLocked(IReadOnlyList<float[]> queries, int k, int threads) =>
        [.. _faces.NearestMany(queries, k, threads).Select(hits => hits.Select(NeighborAt).ToArray())];

    private Neighbor NeighborAt(Hit hit)
    {
        var owner = _faces.OwnerAt(hit.Slot);
        return new Neighbor(hit.Id, owner, _persons.NameOf(owner), hit.Distance);
    }

    private void RemoveAt(int slot)
    {
        var faceId = _faces.IdAt(slot);
        var owner = _faces.OwnerAt(slot);
        _summary.Remove(owner, _faces.Row(slot)); // before the row is overwritten, and before the person's mean is refreshed from it
        _persons.Remove(owner, slot);
        // The map reads its keys from the rows, so it is updated while every row still holds its own id.
        _slotOfFace.Remove(faceId);
        var last = _faces.Count - 1;
        if (slot != last) _slotOfFace.Move(_faces.IdAt(last), slot);
        var movedOwner = slot != last ? _faces.OwnerAt(last) : 0;
        _faces.RemoveAt(slot);
        if (slot != last) _persons.MoveFace(movedOwner, last, slot);
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
