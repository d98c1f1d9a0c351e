namespace Visage.Gallery.Search.Compressed;

/// <summary>
/// Rows kept twice: as 4-bit codes in inverted lists in memory (16 bytes a 128-d row), scanned first, and as float32 in
/// a file (positional reads), read only for the few candidates re-ranked exactly. Each slot has an id and an owner.
/// Removal moves the last row into the hole, in the file and in the lists, so slots stay dense.
/// Not thread-safe for writes: the index guards it.
/// </summary>
internal sealed class CompressedRows : IDisposable
{
    private long[] _ids;
    private long[] _owners;

    /// <summary>Rows coded by <paramref name="coder"/>, their floats in <paramref name="file"/>.</summary>
    public CompressedRows(VectorCoder coder, RowFile file, int capacity)
    {
        Coder = coder;
        File = file;
        Lists = new InvertedLists(coder.Coarse.Lists, coder.Subquantizers);
        capacity = Math.Max(1, capacity);
        _ids = new long[capacity];
        _owners = new long[capacity];
        Lists.EnsureSlots(capacity);
    }

    /// <summary>The quantizers.</summary>
    public VectorCoder Coder { get; }

    /// <summary>The codes, by list.</summary>
    public InvertedLists Lists { get; }

    /// <summary>The float32 rows.</summary>
    public RowFile File { get; }

    /// <summary>Values per row.</summary>
    public int Width => Coder.Width;

    /// <summary>Rows in use.</summary>
    public int Count { get; private set; }

    /// <summary>Bytes held in memory (codes, lists, ids): the file is not counted.</summary>
    public long MemoryBytes => Lists.Bytes + 16L * _ids.Length;

    /// <summary>The id of a slot.</summary>
    public long IdAt(int slot) => _ids[slot];

    /// <summary>The owner of a slot.</summary>
    public long OwnerAt(int slot) => _owners[slot];

    /// <summary>A row's float32 values, read in place from the file.</summary>
    public ReadOnlySpan<float> Row(int slot) => File.Row(slot);

    /// <summary>Ids and owners of the rows in use (for saving).</summary>
    public ReadOnlySpan<long> Ids => _ids.AsSpan(0, Count);

    /// <summary>Owners of the rows in use (for saving).</summary>
    public ReadOnlySpan<long> Owners => _owners.AsSpan(0, Count);

    /// <summary>Rows coming back from a saved index: ids, owners and the lists are already loaded.</summary>
    public static CompressedRows Restore(VectorCoder coder, RowFile file, long[] ids, long[] owners, Action<InvertedLists> loadLists)
    {
        var rows = new CompressedRows(coder, file, ids.Length) { Count = ids.Length };
        ids.CopyTo(rows._ids, 0);
        owners.CopyTo(rows._owners, 0);
        loadLists(rows.Lists);
        return rows;
    }

    /// <summary>Appends a row and returns its slot.</summary>
    public int Add(long id, long owner, ReadOnlySpan<float> vector)
    {
        var slot = Count;
        Reserve(slot + 1);
        File.Write(slot, vector);
        _ids[slot] = id;
        _owners[slot] = owner;
        Index(slot, vector);
        Count++;
        return slot;
    }

    /// <summary>Appends rows whose floats are already in the file at their slots (a bulk load): codes them in parallel.</summary>
    public void AddStored(ReadOnlySpan<long> ids, ReadOnlySpan<long> owners, int threads)
    {
        var first = Count;
        Reserve(first + ids.Length);
        var rows = new float[CodingChunk * Width];
        for (var start = 0; start < ids.Length; start += CodingChunk)
        {
            var n = Math.Min(CodingChunk, ids.Length - start);
            File.Read(first + start, rows.AsSpan(0, n * Width));
            Code(first + start, ids.Slice(start, n), owners.Slice(start, n), rows, threads);
        }
    }

    /// <summary>Appends rows in bulk (a person's means built at once): writes them to the file, codes them in parallel.</summary>
    public void AddMany(ReadOnlySpan<long> ids, ReadOnlySpan<long> owners, ReadOnlySpan<float> vectors, int threads)
    {
        Reserve(Count + ids.Length);
        File.WriteMany(Count, vectors);
        var rows = new float[CodingChunk * Width];
        for (var start = 0; start < ids.Length; start += CodingChunk)
        {
            var n = Math.Min(CodingChunk, ids.Length - start);
            vectors.Slice(start * Width, n * Width).CopyTo(rows);
            Code(Count, ids.Slice(start, n), owners.Slice(start, n), rows, threads);
        }
    }

    // Rows assigned and coded together: 4 MB of float32.
    private const int CodingChunk = 8192;

    /// <summary>Lists and codes rows from <c>first</c> (their floats, in the file already, also at the start of <paramref name="rows"/>), and counts them in.</summary>
    private void Code(int first, ReadOnlySpan<long> ids, ReadOnlySpan<long> owners, float[] rows, int threads)
    {
        var n = ids.Length;
        ids.CopyTo(_ids.AsSpan(first));
        owners.CopyTo(_owners.AsSpan(first));
        var lists = new int[n];
        var codes = new byte[n * Coder.Subquantizers];
        Coder.Coarse.Assign(rows.AsSpan(0, n * Width), lists, threads);
        var parts = Math.Max(1, threads);
        Parallel.For(0, parts, new ParallelOptions { MaxDegreeOfParallelism = parts }, part =>
        {
            for (var i = n * part / parts; i < n * (part + 1) / parts; i++)
                Coder.Encode(rows.AsSpan(i * Width, Width), lists[i], codes.AsSpan(i * Coder.Subquantizers, Coder.Subquantizers));
        });
        for (var i = 0; i < n; i++) Lists.Add(lists[i], first + i, codes.AsSpan(i * Coder.Subquantizers, Coder.Subquantizers));
        Count = first + n;
    }

    /// <summary>Replaces the values of a row (a person's mean that moved).</summary>
    public void Replace(int slot, ReadOnlySpan<float> vector)
    {
        File.Write(slot, vector);
        Lists.Remove(slot);
        Index(slot, vector);
    }

    /// <summary>Removes a row by moving the last row into its slot; returns the id of the moved row, or null when none moved.</summary>
    public long? RemoveAt(int slot)
    {
        var last = Count - 1;
        long? moved = null;
        Lists.Remove(slot);
        if (slot != last)
        {
            File.Copy(last, slot);
            Lists.Move(last, slot);
            _ids[slot] = _ids[last];
            _owners[slot] = _owners[last];
            moved = _ids[slot];
        }
        File.Clear(last);
        Count--;
        return moved;
    }

    /// <summary>Closes the file.</summary>
    public void Dispose() => File.Dispose();

    private void Index(int slot, ReadOnlySpan<float> vector)
    {
        var list = Coder.ListOf(vector);
        Span<byte> codes = stackalloc byte[Coder.Subquantizers];
        Coder.Encode(vector, list, codes);
        Lists.Add(list, slot, codes);
    }

    private void Reserve(int rows)
    {
        File.Reserve(rows);
        if (rows <= _ids.Length) return;
        var capacity = Math.Max(rows, _ids.Length + _ids.Length / 2);
        Array.Resize(ref _ids, capacity);
        Array.Resize(ref _owners, capacity);
        Lists.EnsureSlots(capacity);
    }
}
