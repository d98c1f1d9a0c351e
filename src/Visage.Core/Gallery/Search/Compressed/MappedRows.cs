using System.Buffers.Binary;
using System.IO.MemoryMappedFiles;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Visage.Gallery.Search.Compressed;

/// <summary>
/// Float32 rows in a file, read in place through a shared read-only memory map and written with positional writes, so
/// only the rows a search touches become resident (the rest stays in the page cache, or on disk). The file starts with a
/// header page: magic, version, width, the generation of the last checkpoint, and whether the rows were left clean at
/// that checkpoint (cleared before the first write after it, so a crash mid-way is seen on the next open).
/// Not thread-safe for writes: the index writes under its write lock, when no search runs.
/// </summary>
internal sealed unsafe partial class MappedRows : IDisposable
{
    /// <summary>Bytes before the first row: one page, so rows stay page-aligned.</summary>
    public const int HeaderBytes = 4096;

    private const ulong Magic = 0x31574F5247535656; // "VVSGROW1" little-endian
    private const int Version = 1;
    private const int MadviseRandom = 1;  // MADV_RANDOM: no read-ahead, no fault-around; a search reads scattered rows
    private const int MadviseDontNeed = 4; // MADV_DONTNEED: drop pages from this process (they stay in the page cache)

    private readonly SafeFileHandle _file;
    private MemoryMappedFile? _map;
    private MemoryMappedViewAccessor? _view;
    private byte* _base;
    private bool _dirty;

    private MappedRows(SafeFileHandle file, string path, int width)
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
    public static MappedRows Create(string path, int width, int capacity)
    {
        var rows = new MappedRows(File.OpenHandle(path, FileMode.Create, FileAccess.ReadWrite, FileShare.Read), path, width);
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
    public static MappedRows? Open(string path, int width, long generation, int rows)
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
        var mapped = new MappedRows(file, path, width);
        mapped.Map((int)Math.Min(int.MaxValue, (length - HeaderBytes) / mapped.RowBytes));
        return mapped;
    }

    /// <summary>Row <paramref name="slot"/>, read in place (valid until the next <see cref="Reserve"/>).</summary>
    public ReadOnlySpan<float> Row(int slot)
    {
        if ((uint)slot >= (uint)Capacity) throw new ArgumentOutOfRangeException(nameof(slot));
        return new ReadOnlySpan<float>(_base + HeaderBytes + (long)slot * RowBytes, Width);
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
        Row(from).CopyTo(row);
        Write(to, row);
    }

    /// <summary>Overwrites a row with zeros: a removed descriptor does not linger in the file.</summary>
    public void Clear(int slot) => Write(slot, stackalloc float[Width]);

    /// <summary>Reads consecutive rows from <paramref name="first"/> with positional reads (no mapping: bulk passes stay out of the resident set).</summary>
    public void Read(int first, Span<float> destination)
    {
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

    /// <summary>Makes room for at least <paramref name="rows"/> rows (by half again, to keep remaps rare).</summary>
    public void Reserve(int rows)
    {
        if (rows <= Capacity) return;
        var capacity = (int)Math.Min(int.MaxValue / 2, Math.Max(rows, Capacity + (long)Capacity / 2));
        RandomAccess.SetLength(_file, HeaderBytes + (long)capacity * RowBytes);
        Map(capacity);
    }

    /// <summary>XxHash3 of the first <paramref name="rows"/> rows (read with positional reads).</summary>
    public ulong Hash(int rows)
    {
        var hash = new System.IO.Hashing.XxHash3();
        var buffer = new float[Math.Max(1, 8192 / Width * Width) * 64];
        var perRead = buffer.Length / Width;
        for (var first = 0; first < rows; first += perRead)
        {
            var n = Math.Min(perRead, rows - first);
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

    /// <summary>Drops the mapped pages from this process's resident set (after a pass that read many rows in place).</summary>
    public void Release()
    {
        if (OperatingSystem.IsLinux() && _base != null) _ = Madvise((nint)_base, (nuint)(HeaderBytes + (long)Capacity * RowBytes), MadviseDontNeed);
    }

    /// <summary>Unmaps and closes the file.</summary>
    public void Dispose()
    {
        Unmap();
        _file.Dispose();
    }

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

    private void Map(int capacity)
    {
        Unmap();
        var length = HeaderBytes + (long)capacity * RowBytes;
        _map = MemoryMappedFile.CreateFromFile(_file, mapName: null, length, MemoryMappedFileAccess.Read, HandleInheritability.None, leaveOpen: true);
        _view = _map.CreateViewAccessor(0, length, MemoryMappedFileAccess.Read);
        byte* pointer = null;
        _view.SafeMemoryMappedViewHandle.AcquirePointer(ref pointer);
        _base = pointer + _view.PointerOffset;
        Capacity = capacity;
        if (OperatingSystem.IsLinux()) _ = Madvise((nint)pointer, (nuint)length, MadviseRandom);
    }

    private void Unmap()
    {
        if (_view is not null)
        {
            _view.SafeMemoryMappedViewHandle.ReleasePointer();
            _view.Dispose();
            _map!.Dispose();
        }
        (_view, _map, Capacity) = (null, null, 0);
        _base = null;
    }

    [LibraryImport("libc", EntryPoint = "madvise")]
    private static partial int Madvise(nint address, nuint length, int advice);
}
