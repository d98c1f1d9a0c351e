using System.Numerics;

namespace Visage.Gallery.Search;

/// <summary>
/// Face id to row slot for <see cref="GalleryIndex"/>: an open-addressing table (linear probing) that stores only
/// <c>slot + 1</c> per bucket and reads each bucket's key from the rows' own ids, so the ids are not stored twice.
/// 4 bytes a bucket at most half full: about 8 MB per million faces, against about 32 MB for a
/// <c>Dictionary&lt;long, int&gt;</c>. Not thread-safe: <see cref="GalleryIndex"/> guards it.
/// </summary>
internal sealed class SlotMap
{
    private readonly Func<int, long> _idAt;
    private int[] _buckets; // slot + 1; 0 = empty
    private int _shift;     // 64 - log2(buckets)

    /// <summary>A map whose keys are read through <paramref name="idAt"/> (the id of the row in a slot).</summary>
    public SlotMap(Func<int, long> idAt, int capacity)
    {
        _idAt = idAt;
        var buckets = (int)BitOperations.RoundUpToPowerOf2((uint)Math.Max(16, 2 * capacity));
        _buckets = new int[buckets];
        _shift = 64 - BitOperations.Log2((uint)buckets);
    }

    public int Count { get; private set; }

    public bool TryGet(long id, out int slot)
    {
        var b = Find(id);
        slot = b < 0 ? -1 : _buckets[b] - 1;
        return b >= 0;
    }

    /// <summary>Adds an id that is not in the map; its row must already hold it at <paramref name="slot"/>.</summary>
    public void Add(long id, int slot)
    {
        if (2 * (Count + 1) > _buckets.Length) Grow();
        var mask = _buckets.Length - 1;
        var b = Home(id);
        while (_buckets[b] != 0) b = (b + 1) & mask;
        _buckets[b] = slot + 1;
        Count++;
    }

    /// <summary>Points a present id at another slot (a row moved).</summary>
    public void Move(long id, int slot) => _buckets[Find(id)] = slot + 1;

    /// <summary>Removes a present id (backward-shift deletion: no tombstones, probe chains stay short).</summary>
    public void Remove(long id)
    {
        var mask = _buckets.Length - 1;
        var hole = Find(id);
        for (var j = (hole + 1) & mask; _buckets[j] != 0; j = (j + 1) & mask)
        {
            // Move bucket j into the hole unless its home lies cyclically in (hole, j].
            var home = Home(_idAt(_buckets[j] - 1));
            if (((j - home) & mask) >= ((j - hole) & mask))
            {
                _buckets[hole] = _buckets[j];
                hole = j;
            }
        }
        _buckets[hole] = 0;
        Count--;
    }

    private int Find(long id)
    {
        var mask = _buckets.Length - 1;
        for (var b = Home(id); _buckets[b] != 0; b = (b + 1) & mask)
            if (_idAt(_buckets[b] - 1) == id) return b;
        return -1;
    }

    // Fibonacci hashing: the top bits of id * 2^64 / golden ratio.
    private int Home(long id) => (int)(((ulong)id * 0x9E3779B97F4A7C15UL) >> _shift);

    private void Grow()
    {
        var old = _buckets;
        _buckets = new int[old.Length * 2];
        _shift--;
        Count = 0;
        foreach (var entry in old)
            if (entry != 0) Add(_idAt(entry - 1), entry - 1);
    }
}
