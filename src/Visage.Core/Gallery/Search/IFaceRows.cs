using Visage.Matching;

namespace Visage.Gallery.Search;

/// <summary>
/// The vectors of a <see cref="GalleryIndex"/> (faces, or persons' means) with their search, slot by slot: each row
/// has an id and an owner. Two kinds: <see cref="ExactRows"/> (float32 in memory; answers equal to a brute-force scan)
/// and <see cref="ProbedRows"/> (4-bit codes in memory, float32 in a file; answers measured by recall).
/// Removal moves the last row into the hole, so slots stay dense. Not thread-safe: the index guards it.
/// </summary>
internal interface IFaceRows : IDisposable
{
    /// <summary>Rows in use.</summary>
    int Count { get; }

    /// <summary>The id of a slot.</summary>
    long IdAt(int slot);

    /// <summary>The owner of a slot.</summary>
    long OwnerAt(int slot);

    /// <summary>A row's values (valid until the next write, and for a compressed index until the calling thread's next read).</summary>
    ReadOnlySpan<float> Row(int slot);

    /// <summary>Appends a row and returns its slot.</summary>
    int Add(long id, long owner, ReadOnlySpan<float> vector);

    /// <summary>Appends rows in bulk (back to back in <paramref name="vectors"/>), in slot order after the last.</summary>
    void AddMany(ReadOnlySpan<long> ids, ReadOnlySpan<long> owners, ReadOnlySpan<float> vectors);

    /// <summary>Replaces a row's values.</summary>
    void Replace(int slot, ReadOnlySpan<float> vector);

    /// <summary>Removes a row by moving the last one into its slot; returns the moved row's id, or null when none moved.</summary>
    long? RemoveAt(int slot);

    /// <summary>The nearest rows, ascending (equal distances by ascending id), into <paramref name="best"/>; returns how many.</summary>
    int Nearest(ReadOnlySpan<float> query, DistanceMetric metric, Span<Hit> best);

    /// <summary>The <paramref name="k"/> nearest rows (Euclidean) to each query, as <see cref="Nearest"/> answers them, on up to <paramref name="threads"/> threads.</summary>
    Hit[][] NearestMany(IReadOnlyList<float[]> queries, int k, int threads);
}
