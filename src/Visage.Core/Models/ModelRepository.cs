using System.Collections.Concurrent;
using Google.Protobuf;

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

    /// <summary>Where the graph of <paramref name="model"/> is cached (converted graphs), or read from (ready files).</summary>
    public string OnnxPath(ModelDescriptor model) => model.Source switch
    {
        TfjsSource t => Path.Combine(OnnxDirectory, $"{t.Net.Name}.v{t.ConverterVersion}{VariantSuffix(model)}.onnx"),
        OnnxFileSource f => f.Path,
        _ => throw new NotSupportedException($"model source {model.Source.GetType().Name}"),
    };

    /// <summary>The session of a network, made on first use (see <see cref="LoadOrConvert"/>) and shared by every caller.</summary>
    /// <exception cref="ModelUnavailableException">The weights cannot be fetched, or a ready file is missing or fails its hash.</exception>
    public OnnxNet Get(ModelDescriptor model) =>
        _nets.GetOrAdd(OnnxPath(model), _ => new Lazy<OnnxNet>(() => new OnnxNet(model.Name, LoadOrConvert(model), Options))).Value;

    /// <summary>
    /// The serialized ONNX graph of a network: a ready file checked against its pinned hash, or tfjs weights converted
    /// once and cached (checked by the hash written beside it; converted again when that fails).
    /// </summary>
    /// <exception cref="ModelUnavailableException">The weights cannot be fetched, or a ready file is missing or fails its hash.</exception>
    public byte[] LoadOrConvert(ModelDescriptor model)
    {
        var path = OnnxPath(model);
        if (model.Source is OnnxFileSource file) return ReadPinned(file);
        var tfjs = (TfjsSource)model.Source;
        if (TryReadVerified(path) is { } cached) return cached;
        Store.EnsureAvailable(Log);
        using var _ = FileLock.Acquire(path + ".lock", TimeSpan.FromMinutes(2));
        if (TryReadVerified(path) is { } other) return other;
        var bytes = tfjs.Build(TfjsWeights.Load(Store.ManifestPath(tfjs.Net))).ToByteArray();
        Directory.CreateDirectory(OnnxDirectory);
        File.WriteAllBytes(path + ".tmp", bytes);
        File.Move(path + ".tmp", path, overwrite: true);
        File.WriteAllText(path + ".sha256", Hashing.Sha256(bytes));
        return bytes;
    }

    private static string VariantSuffix(ModelDescriptor model) =>
        model.Variant == ModelVariant.Fp32 ? "" : "." + model.Variant.ToString().ToLowerInvariant();

    private static byte[] ReadPinned(OnnxFileSource file)
    {
        if (!File.Exists(file.Path)) throw new ModelUnavailableException($"model file {file.Path} is missing");
        var bytes = File.ReadAllBytes(file.Path);
        var actual = Hashing.Sha256(bytes);
        return actual == file.Sha256 ? bytes
            : throw new ModelUnavailableException($"model file {file.Path} has SHA-256 {actual}, expected {file.Sha256}: it is not used");
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
