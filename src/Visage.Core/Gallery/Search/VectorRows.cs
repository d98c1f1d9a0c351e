namespace Visage.Gallery.Search;

/// <summary>
/// Fixed-width vectors in one contiguous <c>float[]</c> (row <c>i</c> at <c>[i * width, (i + 1) * width)</c>) with a
/// parallel id and owner per row. Grows by doubling; removal moves the last row into the hole, so rows stay dense.
/// Not thread-safe: <see cref="GalleryIndex"/> guards it.
/// </summary>
internal sealed class VectorRows(int width, int initialCapacity)
{
    private float[] _data = new float[Math.Max(1, initialCapacity) * width];
    private long[] _ids = new long[Math.Max(1, initialCapacity)];
    private long[] _owners = new long[Math.Max(1, initialCapacity)];

    public int Width { get; } = width;

    public int Count { get; private set; }

    /// <summary>The rows in use, back to back.</summary>
    public ReadOnlySpan<float> Data => _data.AsSpan(0, Count * Width);

    public ReadOnlySpan<long> Ids => _ids.AsSpan(0, Count);

    public ReadOnlySpan<long> Owners => _owners.AsSpan(0, Count);

    public Span<float> Row(int slot) => _data.AsSpan(slot * Width, Width);

    /// <summary>Appends a row and returns its slot.</summary>
    public int Add(long id, long owner, ReadOnlySpan<float> vector)
    {
        if (Count == _ids.Length) Grow();
        var slot = Count++;
        vector.CopyTo(Row(slot));
        _ids[slot] = id;
        _owners[slot] = owner;
        return slot;
    }

    /// <summary>Removes a row by moving the last row into its slot; returns the id of the moved row, or null when none moved.</summary>
    public long? RemoveAt(int slot)
    {
        var last = Count - 1;
        long? moved = null;
        if (slot != last)
        {
            Row(last).CopyTo(Row(slot));
            _ids[slot] = _ids[last];
            _owners[slot] = _owners[last];
            moved = _ids[slot];
        }
        Row(last).Clear(); // a removed descriptor does not linger in memory
        Count--;
        return moved;
    }

    public long IdAt(int slot) => _ids[slot];

    public long OwnerAt(int slot) => _owners[slot];

    private void Grow()
    {
        var capacity = _ids.Length * 2;
        Array.Resize(ref _data, capacity * Width);
        Array.Resize(ref _ids, capacity);
        Array.Resize(ref _owners, capacity);
    }
}
