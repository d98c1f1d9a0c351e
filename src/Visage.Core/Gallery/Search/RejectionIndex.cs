using Visage.Faces;
using Visage.Matching;

namespace Visage.Gallery.Search;

/// <summary>
/// The rejected descriptors of one model id, grouped by the person each vetoes (see
/// <see cref="Storage.StoredRejection"/>). Small by nature (one per "that was not me"), so a plain list per person
/// under a lock; searched only for the person a decision is about to name.
/// </summary>
public sealed class RejectionIndex
{
    private readonly Lock _lock = new();
    private readonly Dictionary<long, List<(long Id, float[] Vector)>> _byPerson = [];
    private readonly Dictionary<long, long> _personOf = [];

    /// <summary>The number of rejections held.</summary>
    public int Count
    {
        get
        {
            lock (_lock) return _personOf.Count;
        }
    }

    /// <summary>Adds a rejection (a second add of the same id is ignored).</summary>
    /// <exception cref="ArgumentException">The vector is not 128 long.</exception>
    public void Add(long rejectionId, long personId, ReadOnlySpan<float> vector)
    {
        if (vector.Length != FaceEmbedding.Dimensions)
            throw new ArgumentException($"a rejected descriptor has {FaceEmbedding.Dimensions} values, got {vector.Length}", nameof(vector));
        var copy = vector.ToArray();
        lock (_lock)
        {
            if (!_personOf.TryAdd(rejectionId, personId)) return;
            if (!_byPerson.TryGetValue(personId, out var list)) _byPerson[personId] = list = [];
            list.Add((rejectionId, copy));
        }
    }

    /// <summary>Removes a rejection; false when it was not held.</summary>
    public bool Remove(long rejectionId)
    {
        lock (_lock)
        {
            if (!_personOf.Remove(rejectionId, out var personId)) return false;
            var list = _byPerson[personId];
            list.RemoveAll(r => r.Id == rejectionId);
            if (list.Count == 0) _byPerson.Remove(personId);
            return true;
        }
    }

    /// <summary>Removes every rejection of a person (deleted with them).</summary>
    public void RemovePerson(long personId)
    {
        lock (_lock)
        {
            if (!_byPerson.Remove(personId, out var list)) return;
            foreach (var (id, _) in list) _personOf.Remove(id);
        }
    }

    /// <summary>The distance from <paramref name="query"/> to the nearest descriptor rejected for a person, or null when there is none.</summary>
    public float? NearestTo(long personId, ReadOnlySpan<float> query, DistanceMetric metric)
    {
        lock (_lock)
        {
            if (!_byPerson.TryGetValue(personId, out var list)) return null;
            var best = float.PositiveInfinity;
            foreach (var (_, vector) in list) best = MathF.Min(best, FaceDistance.Compute(metric, query, vector));
            return best;
        }
    }

    /// <summary>True when some rejection vetoes <paramref name="personId"/> (cheap: no distance computed).</summary>
    public bool Has(long personId)
    {
        lock (_lock) return _byPerson.ContainsKey(personId);
    }
}
