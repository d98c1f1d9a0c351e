using System.Collections.Concurrent;
using Google.Protobuf;
using Onnx;

namespace Visage.Models;

/// <summary>
/// Turns the verified tfjs weights into ONNX graphs (cached on disk, keyed by package version, net and
/// converter version, and checked by hash) and holds one <see cref="OnnxNet"/> per network for the process.
/// </summary>
public sealed class ModelRepository : IDisposable
{
    private readonly ConcurrentDictionary<string, Lazy<OnnxNet>> _nets = new();

    /// <summary>Uses <paramref name="store"/> for the weights (fetching them if needed on first use).</summary>
    public ModelRepository(ModelStore store, InferenceOptions? options = null, TextWriter? log = null)
    {
        Store = store;
        Options = options ?? new InferenceOptions();
        Log = log;
    }

    /// <summary>Where the weights live.</summary>
    public ModelStore Store { get; }

    /// <summary>Session settings for every net.</summary>
    public InferenceOptions Options { get; }

    private TextWriter? Log { get; }

    /// <summary>Folder of converted graphs.</summary>
    public string OnnxDirectory => Path.Combine(Store.ModelDirectory, "onnx");

    /// <summary>Path of a converted graph for a given converter version.</summary>
    public string OnnxPath(string net, int converterVersion) => Path.Combine(OnnxDirectory, $"{net}.v{converterVersion}.onnx");

    /// <summary>
    /// The session of a net, built on first use from the cached graph or, when that is missing or fails its hash,
    /// by converting the weights with <paramref name="convert"/>.
    /// </summary>
    public OnnxNet Get(string net, int converterVersion, Func<TfjsWeights, ModelProto> convert) =>
        _nets.GetOrAdd($"{net}.v{converterVersion}", _ => new Lazy<OnnxNet>(
            () => new OnnxNet(net, LoadOrConvert(net, converterVersion, convert), Options))).Value;

    /// <summary>The serialized ONNX graph of a net, converting and caching it when needed.</summary>
    public byte[] LoadOrConvert(string net, int converterVersion, Func<TfjsWeights, ModelProto> convert)
    {
        var path = OnnxPath(net, converterVersion);
        if (TryReadVerified(path) is { } cached) return cached;
        Store.EnsureAvailable(Log);
        using var _ = FileLock.Acquire(path + ".lock", TimeSpan.FromMinutes(2));
        if (TryReadVerified(path) is { } other) return other;
        var definition = ModelCatalog.Get(net);
        var bytes = convert(TfjsWeights.Load(Store.ManifestPath(definition))).ToByteArray();
        Directory.CreateDirectory(OnnxDirectory);
        File.WriteAllBytes(path + ".tmp", bytes);
        File.Move(path + ".tmp", path, overwrite: true);
        File.WriteAllText(path + ".sha256", Hashing.Sha256(bytes));
        return bytes;
    }

    private static byte[]? TryReadVerified(string path)
    {
        if (!File.Exists(path) || !File.Exists(path + ".sha256")) return null;
        var bytes = File.ReadAllBytes(path);
        return Hashing.Sha256(bytes) == File.ReadAllText(path + ".sha256").Trim() ? bytes : null;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var lazy in _nets.Values)
            if (lazy.IsValueCreated) lazy.Value.Dispose();
    }
}
