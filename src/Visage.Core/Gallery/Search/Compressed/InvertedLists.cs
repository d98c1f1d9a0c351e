namespace Visage.Gallery.Search.Compressed;

/// <summary>
/// The 4-bit codes of every row, grouped by coarse list in <see cref="FastScan"/>'s block layout, with each entry's row
/// slot; and per slot, where its entry is. Removal moves a list's last entry into the hole, so lists stay dense.
/// Not thread-safe: the index guards it.
/// </summary>
internal sealed class InvertedLists
{
    private readonly List[] _lists;
    private readonly int _blockBytes;
    private int[] _listOf = [];     // per row slot: its list
    private int[] _positionOf = []; // per row slot: its entry in that list

    /// <summary>Empty lists for codes of <paramref name="subquantizers"/> sub-quantizers.</summary>
    public InvertedLists(int lists, int subquantizers)
    {
        Subquantizers = subquantizers;
        _blockBytes = FastScan.BlockBytes(subquantizers);
        _lists = new List[lists];
        for (var l = 0; l < lists; l++) _lists[l] = new List();
    }

    /// <summary>Codes per entry.</summary>
    public int Subquantizers { get; }

    /// <summary>Number of lists.</summary>
    public int Count => _lists.Length;

    /// <summary>Entries in a list.</summary>
    public int Length(int list) => _lists[list].Count;

    /// <summary>A list's blocks (the last one partly used).</summary>
    public ReadOnlySpan<byte> Blocks(int list) => _lists[list].Blocks.AsSpan(0, (_lists[list].Count + FastScan.BlockSize - 1) / FastScan.BlockSize * _blockBytes);

    /// <summary>The row slot of an entry.</summary>
    public int SlotAt(int list, int entry) => _lists[list].Slots[entry];

    /// <summary>The list a row slot's codes are in.</summary>
    public int ListOf(int slot) => _listOf[slot];

    /// <summary>Bytes held: codes, slots and the per-slot map.</summary>
    public long Bytes => _lists.Sum(l => (long)l.Blocks.Length + 4L * l.Slots.Length) + 8L * _listOf.Length;

    /// <summary>Makes room for row slots below <paramref name="slots"/>.</summary>
    public void EnsureSlots(int slots)
    {
        if (slots <= _listOf.Length) return;
        var size = Math.Max(slots, _listOf.Length + _listOf.Length / 2);
        Array.Resize(ref _listOf, size);
        Array.Resize(ref _positionOf, size);
    }

    /// <summary>Adds the codes (one 0..15 value per sub-quantizer) of row <paramref name="slot"/> to a list.</summary>
    public void Add(int list, int slot, ReadOnlySpan<byte> codes)
    {
        var l = _lists[list];
        if (l.Count == l.Slots.Length) Grow(l);
        var entry = l.Count++;
        Write(l, entry, codes);
        l.Slots[entry] = slot;
        _listOf[slot] = list;
        _positionOf[slot] = entry;
    }

    /// <summary>Takes row <paramref name="slot"/>'s entry out of its list.</summary>
    public void Remove(int slot)
    {
        var l = _lists[_listOf[slot]];
        var entry = _positionOf[slot];
        var last = l.Count - 1;
        Span<byte> codes = stackalloc byte[Subquantizers];
        if (entry != last)
        {
            Read(l, last, codes);
            Write(l, entry, codes);
            var moved = l.Slots[last];
            l.Slots[entry] = moved;
            _positionOf[moved] = entry;
            codes.Clear();
        }
        Write(l, last, codes); // zeros: a removed face's codes do not linger
        l.Count--;
    }

    /// <summary>Row <paramref name="from"/> now lives at slot <paramref name="to"/> (the rows moved their last into a hole).</summary>
    public void Move(int from, int to)
    {
        var (list, entry) = (_listOf[from], _positionOf[from]);
        _lists[list].Slots[entry] = to;
        _listOf[to] = list;
        _positionOf[to] = entry;
    }

    /// <summary>A list's entries as <see cref="Blocks"/> and their slots give them (a saved index coming back).</summary>
    /// <exception cref="InvalidDataException">The parts do not fit together.</exception>
    public void Load(int list, int length, byte[] blocks, int[] slots)
    {
        var blockCount = (length + FastScan.BlockSize - 1) / FastScan.BlockSize;
        if (length < 0 || blocks.Length != blockCount * _blockBytes || slots.Length != blockCount * FastScan.BlockSize)
            throw new InvalidDataException($"list {list}: {length} entries do not fit {blocks.Length} bytes of codes and {slots.Length} slots");
        var l = _lists[list];
        (l.Blocks, l.Slots, l.Count) = (blocks, slots, length);
        for (var entry = 0; entry < length; entry++)
        {
            var slot = slots[entry];
            if ((uint)slot >= (uint)_listOf.Length) throw new InvalidDataException($"list {list}: slot {slot} out of range");
            _listOf[slot] = list;
            _positionOf[slot] = entry;
        }
    }

    /// <summary>A list's slots, whole blocks (for saving).</summary>
    public ReadOnlySpan<int> SlotBlocks(int list) => _lists[list].Slots.AsSpan(0, (_lists[list].Count + FastScan.BlockSize - 1) / FastScan.BlockSize * FastScan.BlockSize);

    /// <summary>The codes of row <paramref name="slot"/>.</summary>
    public void CodesOf(int slot, Span<byte> codes) => Read(_lists[_listOf[slot]], _positionOf[slot], codes);

    private void Write(List l, int entry, ReadOnlySpan<byte> codes)
    {
        var block = l.Blocks.AsSpan(entry / FastScan.BlockSize * _blockBytes, _blockBytes);
        var e = entry % FastScan.BlockSize;
        var (j, shift) = (e & 15, e < 16 ? 0 : 4);
        for (var m = 0; m < Subquantizers; m++)
            block[16 * m + j] = (byte)((block[16 * m + j] & (0xF0 >> shift)) | ((codes[m] & 15) << shift));
    }

    private void Read(List l, int entry, Span<byte> codes)
    {
        var block = l.Blocks.AsSpan(entry / FastScan.BlockSize * _blockBytes, _blockBytes);
        var e = entry % FastScan.BlockSize;
        var (j, shift) = (e & 15, e < 16 ? 0 : 4);
        for (var m = 0; m < Subquantizers; m++) codes[m] = (byte)((block[16 * m + j] >> shift) & 15);
    }

    // By half again, in whole blocks: doubling would leave up to half of 16 bytes a face unused.
    private void Grow(List l)
    {
        var entries = Math.Max(FastScan.BlockSize, (l.Slots.Length + l.Slots.Length / 2 + FastScan.BlockSize - 1) / FastScan.BlockSize * FastScan.BlockSize);
        Array.Resize(ref l.Blocks, entries / FastScan.BlockSize * _blockBytes);
        Array.Resize(ref l.Slots, entries);
    }

    private sealed class List
    {
        public byte[] Blocks = [];
        public int[] Slots = [];
        public int Count;
    }
}
