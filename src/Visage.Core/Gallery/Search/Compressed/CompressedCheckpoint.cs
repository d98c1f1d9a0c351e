using System.IO.Hashing;
using System.Text;

namespace Visage.Gallery.Search.Compressed;

/// <summary>
/// A compressed index saved beside its float32 rows file: the quantizers, every list's codes and slots, the rows' ids
/// and owners, the persons' names, and a caller's stamp (a gallery's: the change of its log the index reflects).
/// Written to a temporary file and renamed, checked whole on reading (XxHash3 of the checkpoint, and of the rows it
/// describes); the rows file must carry the same generation and have been left clean (<see cref="RowFile"/>).
/// Anything else (missing, cut short, damaged, another model, a crash since) reads as no checkpoint: the caller builds
/// the index again rather than answering from it.
/// </summary>
internal static class CompressedCheckpoint
{
    private const ulong Magic = 0x3130584449475356; // "VSGIDX01" little-endian
    private const int Version = 1;

    /// <summary>What a checkpoint holds.</summary>
    public sealed record Contents(CompressedRows Rows, IReadOnlyList<(long PersonId, string Name)> Persons, string Stamp);

    /// <summary>Saves <paramref name="rows"/> (flushing their file first) and marks the rows file clean.</summary>
    public static void Save(string path, string modelId, CompressedRows rows, IEnumerable<(long PersonId, string Name)> persons, string stamp)
    {
        var generation = Random.Shared.NextInt64(1, long.MaxValue);
        var rowsHash = rows.File.Hash(rows.Count);
        var temporary = path + ".tmp";
        using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20))
        {
            var hash = new XxHash3();
            using (var writer = new BinaryWriter(new HashingStream(stream, hash), Encoding.UTF8, leaveOpen: true))
            {
                writer.Write(Magic);
                writer.Write(Version);
                writer.Write(modelId);
                writer.Write(stamp);
                writer.Write(generation);
                var coder = rows.Coder;
                writer.Write(coder.Width);
                writer.Write(coder.Coarse.Lists);
                writer.Write(rows.Count);
                writer.Write(rowsHash);
                WriteFloats(writer, coder.Coarse.Centroids);
                WriteFloats(writer, coder.Product.Codebook);
                foreach (var id in rows.Ids) writer.Write(id);
                foreach (var owner in rows.Owners) writer.Write(owner);
                for (var list = 0; list < rows.Lists.Count; list++)
                {
                    writer.Write(rows.Lists.Length(list));
                    writer.Write(rows.Lists.Blocks(list));
                    foreach (var slot in rows.Lists.SlotBlocks(list)) writer.Write(slot);
                }
                var named = persons.ToList();
                writer.Write(named.Count);
                foreach (var (person, name) in named)
                {
                    writer.Write(person);
                    writer.Write(name);
                }
            }
            stream.Write(BitConverter.GetBytes(hash.GetCurrentHashAsUInt64()));
            stream.Flush(flushToDisk: true);
        }
        File.Move(temporary, path, overwrite: true);
        rows.File.MarkClean(generation);
    }

    /// <summary>The checkpoint at <paramref name="path"/> with its rows file, or null when either is unusable (see the class).</summary>
    public static Contents? Load(string path, string rowsPath, string modelId, int width)
    {
        if (!File.Exists(path)) return null;
        RowFile? file = null;
        try
        {
            var bytes = File.ReadAllBytes(path);
            if (bytes.Length < 8 || XxHash3.HashToUInt64(bytes.AsSpan(0, bytes.Length - 8)) != BitConverter.ToUInt64(bytes, bytes.Length - 8)) return null;
            using var reader = new BinaryReader(new MemoryStream(bytes, 0, bytes.Length - 8), Encoding.UTF8);
            if (reader.ReadUInt64() != Magic || reader.ReadInt32() != Version || reader.ReadString() != modelId) return null;
            var stamp = reader.ReadString();
            var generation = reader.ReadInt64();
            if (reader.ReadInt32() != width) return null;
            var lists = reader.ReadInt32();
            var count = reader.ReadInt32();
            var rowsHash = reader.ReadUInt64();
            var coder = new VectorCoder(new CoarseQuantizer(ReadFloats(reader, lists * width), width), new ProductQuantizer(ReadFloats(reader, width * ProductQuantizer.Centroids), width));
            var ids = new long[count];
            var owners = new long[count];
            for (var i = 0; i < count; i++) ids[i] = reader.ReadInt64();
            for (var i = 0; i < count; i++) owners[i] = reader.ReadInt64();
            var blockBytes = FastScan.BlockBytes(coder.Subquantizers);
            var parts = new (int Length, byte[] Blocks, int[] Slots)[lists];
            for (var list = 0; list < lists; list++)
            {
                var length = reader.ReadInt32();
                var blocks = (length + FastScan.BlockSize - 1) / FastScan.BlockSize;
                var codes = reader.ReadBytes(blocks * blockBytes);
                var slots = new int[blocks * FastScan.BlockSize];
                for (var i = 0; i < slots.Length; i++) slots[i] = reader.ReadInt32();
                parts[list] = (length, codes, slots);
            }
            var persons = new (long, string)[reader.ReadInt32()];
            for (var i = 0; i < persons.Length; i++) persons[i] = (reader.ReadInt64(), reader.ReadString());
            if (reader.BaseStream.Position != reader.BaseStream.Length || parts.Sum(p => (long)p.Length) != count) return null;

            file = RowFile.Open(rowsPath, width, generation, count);
            if (file is null || file.Hash(count) != rowsHash) return null;
            var rows = CompressedRows.Restore(coder, file, ids, owners, loaded =>
            {
                for (var list = 0; list < lists; list++) loaded.Load(list, parts[list].Length, parts[list].Blocks, parts[list].Slots);
            });
            file = null;
            return new Contents(rows, persons, stamp);
        }
        catch (Exception e) when (e is EndOfStreamException or InvalidDataException or ArgumentException or IOException or OverflowException or OutOfMemoryException)
        {
            return null;
        }
        finally
        {
            file?.Dispose();
        }
    }

    private static void WriteFloats(BinaryWriter writer, ReadOnlySpan<float> values) => writer.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(values));

    private static float[] ReadFloats(BinaryReader reader, int count)
    {
        var values = new float[count];
        var bytes = reader.ReadBytes(count * sizeof(float));
        if (bytes.Length != count * sizeof(float)) throw new EndOfStreamException();
        Buffer.BlockCopy(bytes, 0, values, 0, bytes.Length);
        return values;
    }

    /// <summary>Passes writes through to a stream while hashing them.</summary>
    private sealed class HashingStream(Stream inner, XxHash3 hash) : Stream
    {
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => inner.Length;
        public override long Position { get => inner.Position; set => throw new NotSupportedException(); }
        public override void Flush() => inner.Flush();
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            hash.Append(buffer);
            inner.Write(buffer);
        }
    }
}
