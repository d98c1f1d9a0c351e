using System.Runtime.InteropServices;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Visage.Embedding;

/// <summary>
/// Reads and writes projection heads as JSON: the base model id, whether the head is residual, the calibrated
/// threshold, training metadata, and each layer's sizes with its weights and biases as base64 little-endian float32.
/// </summary>
public static class ProjectionHeadFile
{
    /// <summary>The <c>format</c> field of every head file.</summary>
    public const string Format = "visage-projection-head";

    /// <summary>The version this code writes and reads.</summary>
    public const int Version = 1;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, // a file, not HTML: keep '+' in model ids readable
    };

    /// <summary>Writes a head to a file (atomically: a temp file renamed over the target).</summary>
    public static void Save(ProjectionHead head, string path)
    {
        var dto = new HeadDto(Format, Version, head.BaseModelId, head.Id, head.Residual, head.Threshold,
            head.Metadata.ToDictionary(),
            head.Layers.Select(l => new LayerDto(l.Inputs, l.Outputs, l.Relu, ToBase64(l.Weights), ToBase64(l.Bias))).ToList());
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var temp = full + ".tmp";
        File.WriteAllBytes(temp, JsonSerializer.SerializeToUtf8Bytes(dto, Json));
        File.Move(temp, full, overwrite: true);
    }

    /// <summary>Reads a head file.</summary>
    /// <exception cref="FileNotFoundException">There is no such file.</exception>
    /// <exception cref="InvalidDataException">The file is not a head file of a version this code reads, or its weights do not match its id.</exception>
    public static ProjectionHead Load(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"head file not found: {path}", path);
        HeadDto? dto;
        try
        {
            dto = JsonSerializer.Deserialize<HeadDto>(File.ReadAllBytes(path), Json);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path} is not a projection head file: {e.Message}", e);
        }
        if (dto is null || dto.Format != Format) throw new InvalidDataException($"{path} is not a projection head file (format '{dto?.Format}')");
        if (dto.Version != Version) throw new InvalidDataException($"{path} is head format version {dto.Version}; this Visage reads version {Version}");
        try
        {
            var layers = (dto.Layers ?? []).Select(l => new DenseLayer(l.Inputs, l.Outputs, FromBase64(l.Weights), FromBase64(l.Bias), l.Relu)).ToList();
            var head = new ProjectionHead(dto.BaseModelId ?? "", layers, dto.Residual, dto.Threshold, dto.Metadata);
            if (dto.Id is not null && dto.Id != head.Id)
                throw new InvalidDataException($"{path}: the weights hash to {head.Id}, the file says {dto.Id} (damaged or edited)");
            return head;
        }
        catch (Exception e) when (e is ArgumentException or FormatException)
        {
            throw new InvalidDataException($"{path} is not a usable projection head: {e.Message}", e);
        }
    }

    private static string ToBase64(float[] values) => Convert.ToBase64String(MemoryMarshal.AsBytes(values.AsSpan()));

    private static float[] FromBase64(string? text)
    {
        var bytes = Convert.FromBase64String(text ?? "");
        if (bytes.Length % sizeof(float) != 0) throw new FormatException("a float array's byte length is not a multiple of 4");
        return MemoryMarshal.Cast<byte, float>(bytes).ToArray();
    }

    private sealed record HeadDto(string? Format, int Version, string? BaseModelId, string? Id, bool Residual, float? Threshold,
        Dictionary<string, string>? Metadata, List<LayerDto>? Layers);

    private sealed record LayerDto(int Inputs, int Outputs, bool Relu, string? Weights, string? Bias);
}
