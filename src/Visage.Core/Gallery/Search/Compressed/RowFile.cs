using System.Buffers.Binary;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Visage.Gallery.Search.Compressed;

/// <summary>
/// Float32 rows in a file, read and written with positional reads and writes: only the rows a search asks for are
/// copied out of the page cache (or read from disk), and nothing of the file joins the process's resident set. A memory
/// map was measured first and dropped: on this machine's Linux 6.18 the page cache holds the file in large folios, and
/// a read fault maps the whole folio (1.4 MB a fault on average over 100 scattered reads of a 512 MB file, 6.5 MB for
/// the first), so 64 scattered rows a query brought the whole file into the resident set within a few hundred queries,
/// and releasing the pages every 16 queries did not hold it (+286 MB of 512 after 3,000 queries over 1M faces). A
/// positional read costs 2-2.5 us a row from the page cache.
/// The file starts with a header page: magic, version, width, the generation of the last checkpoint, and whether the
/// rows were left clean at that checkpoint (cleared before the first write after it, so a crash mid-way is seen on the
/// next open). Reads are thread-safe; writes are not (the index writes under its write lock, when no search runs).
/// </summary>
internal sealed class RowFile : IDisposable
{
    /// <summary>Bytes before the first row: one page, so rows stay page-aligned.</summary>
    public const int HeaderBytes = 4096;

    private const ulong Magic = 0x31574F5247535656; // "VVSGROW1" little-endian
    private const int Version = 1;

    [ThreadStatic] private static float[]? _row;

    private readonly SafeFileHandle _file;
    private bool _dirty;

    private RowFile(SafeFileHandle file, string path, int width)
    {
        _file = file;
        Path = path;
        Width = width;
    }

    /// <summary>The file.</summary>
    public string Path { get; }

    /// <summary>Values per row.</summary>
    public int Width { get; }

    /// <summary>Rows the file has room for.</summary>
    public int Capacity { get; private set; }

    private int RowBytes => Width * sizeof(float);

    /// <summary>A new, empty file (replacing any at <paramref name="path"/>) with room for <paramref name="capacity"/> rows.</summary>
    /// <exception cref="IOException">The file cannot be written.</exception>
    public static RowFile Create(string path, int width, int capacity)
    {
        var rows = new RowFile(File.OpenHandle(path, FileMode.Create, FileAccess.ReadWrite, FileShare.Read), path, width);
        try
        {
            rows.WriteHeader(generation: 0, clean: false);
            rows._dirty = true;
            rows.Reserve(Math.Max(1, capacity));
            return rows;
        }
        catch
        {
            rows.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The file at <paramref name="path"/> when it was left clean at checkpoint <paramref name="generation"/> with room for
    /// <paramref name="rows"/> rows of <paramref name="width"/>; null when it is missing, of another kind, cut short, or
    /// not the one that checkpoint describes.
    /// </summary>
    public static RowFile? Open(string path, int width, long generation, int rows)
    {
        if (!File.Exists(path)) return null;
        var file = File.OpenHandle(path, FileMode.Open, FileAccess.ReadWrite, FileShare.Read);
        var header = new byte[32];
        var length = RandomAccess.GetLength(file);
        if (RandomAccess.Read(file, header, 0) < header.Length
            || BinaryPrimitives.ReadUInt64LittleEndian(header) != Magic
            || BinaryPrimitives.ReadInt32LittleEndian(header.AsSpan(8)) != Version
            || BinaryPrimitives.ReadInt32LittleEndian(header.AsSpan(12)) != width
            || BinaryPrimitives.ReadInt64LittleEndian(header.AsSpan(16)) != generation
            || BinaryPrimitives.ReadInt32LittleEndian(header.AsSpan(24)) != 1
            || length < HeaderBytes + (long)rows * width * sizeof(float))
        {
            file.Dispose();
            return null;
        }
        return new RowFile(file, path, width) { Capacity = (int)Math.Min(int.MaxValue, (length - HeaderBytes) / (width * sizeof(float))) };
    }

    /// <summary>Row <paramref name="slot"/>, in a buffer of the calling thread (valid until its next <see cref="Row"/>).</summary>
    public ReadOnlySpan<float> Row(int slot)
    {
        var row = _row is { } buffer && buffer.Length == Width ? buffer : _row = new float[Width];
        Read(slot, row);
        return row;
    }

    /// <summary>Writes row <paramref name="slot"/>.</summary>
    public void Write(int slot, ReadOnlySpan<float> values)
    {
        if (values.Length != Width) throw new ArgumentException($"a row has {Width} values");
        Write(slot, MemoryMarshal.AsBytes(values));
    }

    /// <summary>Writes consecutive rows from <paramref name="first"/> (a bulk load).</summary>
    public void WriteMany(int first, ReadOnlySpan<float> values)
    {
        if (values.Length % Width != 0) throw new ArgumentException($"rows have {Width} values");
        Write(first, MemoryMarshal.AsBytes(values));
    }

    /// <summary>Copies row <paramref name="from"/> over row <paramref name="to"/>.</summary>
    public void Copy(int from, int to)
    {
        Span<float> row = stackalloc float[Width];
        Read(from, row);
        Write(to, row);
    }

    /// <summary>Overwrites a row with zeros: a removed descriptor does not linger in the file.</summary>
    public void Clear(int slot) => Write(slot, stackalloc float[Width]);

    /// <summary>Reads consecutive rows from <paramref name="first"/> into <paramref name="destination"/>.</summary>
    public void Read(int first, Span<float> destination)
    {
        if (first < 0 || first + destination.Length / Width > Capacity) throw new ArgumentOutOfRangeException(nameof(first), $"rows {first}.. of {Capacity}");
        var bytes = MemoryMarshal.AsBytes(destination);
        var offset = HeaderBytes + (long)first * RowBytes;
        while (!bytes.IsEmpty)
        {
            var read = RandomAccess.Read(_file, bytes, offset);
            if (read <= 0) throw new IOException($"{Path} ends before row {first + destination.Length / Width}");
            bytes = bytes[read..];
            offset += read;
        }
    }

    /// <summary>Makes room for at least <paramref name="rows"/> rows (by half again, to keep the file's growth steps few).</summary>
    public void Reserve(int rows)
    {
        if (rows <= Capacity) return;
        var capacity = (int)Math.Min(int.MaxValue / 2, Math.Max(rows, Capacity + (long)Capacity / 2));
        RandomAccess.SetLength(_file, HeaderBytes + (long)capacity * RowBytes);
        Capacity = capacity;
    }

    /// <summary>XxHash3 of the first <paramref name="rows"/> rows.</summary>
    public ulong Hash(int rows)
    {
        var hash = new System.IO.Hashing.XxHash3();
        const int PerRead = 8192;
        var buffer = new float[PerRead * Width];
        for (var first = 0; first < rows; first += PerRead)
        {
            var n = Math.Min(PerRead, rows - first);
            Read(first, buffer.AsSpan(0, n * Width));
            hash.Append(MemoryMarshal.AsBytes(buffer.AsSpan(0, n * Width)));
        }
        return hash.GetCurrentHashAsUInt64();
    }

    /// <summary>Writes every row to disk, then marks the file clean at checkpoint <paramref name="generation"/>.</summary>
    public void MarkClean(long generation)
    {
        RandomAccess.FlushToDisk(_file);
        WriteHeader(generation, clean: true);
        RandomAccess.FlushToDisk(_file);
        _dirty = false;
    }

    /// <summary>Closes the file.</summary>
    public void Dispose() => _file.Dispose();

    private void Write(int slot, ReadOnlySpan<byte> bytes)
    {
        var end = slot + bytes.Length / RowBytes;
        if (slot < 0 || end > Capacity) throw new ArgumentOutOfRangeException(nameof(slot), $"rows {slot}..{end} of {Capacity}");
        if (!_dirty)
        {
            // On disk before any row changes: a crash from here on leaves a file the next open refuses.
            WriteHeader(ReadGeneration(), clean: false);
            RandomAccess.FlushToDisk(_file);
            _dirty = true;
        }
        RandomAccess.Write(_file, bytes, HeaderBytes + (long)slot * RowBytes);
    }

    private long ReadGeneration()
    {
        Span<byte> generation = stackalloc byte[8];
        RandomAccess.Read(_file, generation, 16);
        return BinaryPrimitives.ReadInt64LittleEndian(generation);
    }

    private void WriteHeader(long generation, bool clean)
    {
        var header = new byte[32];
        BinaryPrimitives.WriteUInt64LittleEndian(header, Magic);
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(8), Version);
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(12), Width);
        BinaryPrimitives.WriteInt64LittleEndian(header.AsSpan(16), generation);
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(24), clean ? 1 : 0);
        RandomAccess.Write(_file, header, 0);
    }
}
