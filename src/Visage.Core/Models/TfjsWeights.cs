using System.Buffers.Binary;
using System.Text.Json;

namespace Visage.Models;

/// <summary>
/// The tensors of one tfjs weights manifest, dequantized the way tfjs 4.22 does it
/// (<c>io_utils.js decodeWeight</c>): uint8/uint16 values become <c>q * scale + min</c> computed in double and
/// stored as float32; float16 values are widened; float32 values are read as stored.
/// </summary>
public sealed class TfjsWeights
{
    private readonly Dictionary<string, TfjsTensor> _tensors;

    private TfjsWeights(Dictionary<string, TfjsTensor> tensors) => _tensors = tensors;

    /// <summary>All tensors in manifest order.</summary>
    public IEnumerable<TfjsTensor> Tensors => _tensors.Values;

    /// <summary>A tensor by its tfjs name.</summary>
    /// <exception cref="KeyNotFoundException">The manifest has no such tensor.</exception>
    public TfjsTensor this[string name] =>
        _tensors.TryGetValue(name, out var t) ? t : throw new KeyNotFoundException($"weights have no tensor '{name}'");

    /// <summary>True when the manifest has a tensor of that name.</summary>
    public bool Contains(string name) => _tensors.ContainsKey(name);

    /// <summary>Reads a manifest and the weight files it names (paths relative to the manifest).</summary>
    /// <exception cref="InvalidDataException">The manifest is malformed or the weight files are too short or too long.</exception>
    public static TfjsWeights Load(string manifestPath)
    {
        var dir = Path.GetDirectoryName(Path.GetFullPath(manifestPath))!;
        using var doc = JsonDocument.Parse(File.ReadAllBytes(manifestPath));
        var tensors = new Dictionary<string, TfjsTensor>(StringComparer.Ordinal);
        foreach (var group in doc.RootElement.EnumerateArray())
        {
            var bytes = group.GetProperty("paths").EnumerateArray()
                .SelectMany(p => File.ReadAllBytes(Path.Combine(dir, p.GetString()!)))
                .ToArray();
            var offset = 0;
            foreach (var spec in group.GetProperty("weights").EnumerateArray())
            {
                var tensor = Decode(spec, bytes, ref offset);
                tensors.Add(tensor.Name, tensor);
            }
            if (offset != bytes.Length)
                throw new InvalidDataException($"{manifestPath}: weights use {offset} bytes but the files hold {bytes.Length}");
        }
        return new TfjsWeights(tensors);
    }

    private static TfjsTensor Decode(JsonElement spec, byte[] bytes, ref int offset)
    {
        var name = spec.GetProperty("name").GetString()!;
        var shape = spec.GetProperty("shape").EnumerateArray().Select(e => e.GetInt32()).ToArray();
        var dtype = spec.GetProperty("dtype").GetString()!;
        var count = shape.Aggregate(1, (a, b) => a * b);
        var values = new float[count];
        if (spec.TryGetProperty("quantization", out var q))
        {
            var qtype = q.GetProperty("dtype").GetString();
            var width = qtype switch { "uint8" => 1, "uint16" or "float16" => 2, _ => throw new InvalidDataException($"{name}: quantization {qtype}") };
            Require(bytes, offset, count * width, name);
            var src = bytes.AsSpan(offset, count * width);
            if (qtype == "float16")
            {
                for (var i = 0; i < count; i++) values[i] = (float)BinaryPrimitives.ReadHalfLittleEndian(src[(2 * i)..]);
            }
            else
            {
                var scale = q.GetProperty("scale").GetDouble();
                var min = q.GetProperty("min").GetDouble();
                for (var i = 0; i < count; i++)
                {
                    double raw = width == 1 ? src[i] : BinaryPrimitives.ReadUInt16LittleEndian(src[(2 * i)..]);
                    var v = raw * scale + min;
                    values[i] = dtype == "int32" ? (float)JsMath.Round(v) : (float)v;
                }
            }
            offset += count * width;
        }
        else
        {
            Require(bytes, offset, count * 4, name);
            var src = bytes.AsSpan(offset, count * 4);
            for (var i = 0; i < count; i++)
                values[i] = dtype == "int32" ? BinaryPrimitives.ReadInt32LittleEndian(src[(4 * i)..]) : BinaryPrimitives.ReadSingleLittleEndian(src[(4 * i)..]);
            offset += count * 4;
        }
        return new TfjsTensor(name, shape, values);
    }

    private static void Require(byte[] bytes, int offset, int length, string name)
    {
        if (offset + length > bytes.Length)
            throw new InvalidDataException($"weights end before tensor '{name}' ({offset + length} > {bytes.Length} bytes)");
    }
}

/// <summary>One dequantized tfjs tensor, row-major in its TensorFlow layout (filters are HWIO).</summary>
/// <param name="Name">tfjs name, e.g. <c>MobilenetV1/Conv2d_0/weights</c>.</param>
/// <param name="Shape">Dimensions as stored.</param>
/// <param name="Data">Values, row-major.</param>
public sealed record TfjsTensor(string Name, int[] Shape, float[] Data);
