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
    private readonly List<Task> _preloads = [];

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

    /// <summary>
    /// The session of a network, made on first use and shared by every caller: from ONNX Runtime's optimized form of the
    /// graph when it is cached (<see cref="InferenceOptions.CacheOptimizedGraphs"/>), else from the graph (see
    /// <see cref="LoadOrConvert"/>), optimized and, when caching, written for the next process.
    /// </summary>
    /// <exception cref="ModelUnavailableException">The weights cannot be fetched, or a ready file is missing or fails its hash.</exception>
    public OnnxNet Get(ModelDescriptor model) =>
        _nets.GetOrAdd(OnnxPath(model), _ => new Lazy<OnnxNet>(() => CreateNet(model))).Value;

    /// <summary>
    /// Creates the sessions of <paramref name="models"/> on the thread pool, so that they are ready when first used.
    /// <see cref="Dispose"/> waits for them: a command that fails early must not exit while ONNX Runtime is still
    /// building a session (it then wrote an error line of its own to stderr).
    /// </summary>
    public void Preload(IEnumerable<ModelDescriptor> models)
    {
        lock (_preloads)
            foreach (var model in models.Distinct())
                _preloads.Add(Task.Run(() =>
                {
                    try
                    {
                        Get(model);
                    }
                    catch (Exception)
                    {
                        // The session's Lazy keeps the exception: the caller that uses the model gets it from Get.
                    }
                }));
    }

    private OnnxNet CreateNet(ModelDescriptor model)
    {
        if (!Options.CacheOptimizedGraphs) return new OnnxNet(model.Name, LoadOrConvert(model), Options);
        // A ready file is checked against its pin on every load (the promise of OnnxFileSource); a converted graph is
        // this cache's own file, known by the hash recorded when it was written.
        var bytes = model.Source is OnnxFileSource ? LoadOrConvert(model) : null;
        var sourceHash = model.Source is OnnxFileSource file ? file.Sha256 : ModelFiles.RecordedHash(OnnxPath(model));
        if (sourceHash is not null && OptimizedGraphCache.TryRead(OptimizedGraphCache.PathFor(OnnxDirectory, model.Id, sourceHash, Options.ExactInt8Sums)) is { } optimized)
            return new OnnxNet(model.Name, optimized, Options, preOptimized: true);
        bytes ??= LoadOrConvert(model);
        var path = OptimizedGraphCache.PathFor(OnnxDirectory, model.Id, Hashing.Sha256(bytes), Options.ExactInt8Sums);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var written = $"{path}.{Environment.ProcessId}.{Environment.CurrentManagedThreadId}.tmp";
        var net = new OnnxNet(model.Name, bytes, Options, saveOptimizedTo: written);
        if (File.Exists(written)) OptimizedGraphCache.Keep(written, path);
        return net;
    }

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
        if (ModelFiles.TryReadVerified(path) is { } cached) return cached;
        Store.EnsureAvailable(Log);
        using var _ = FileLock.Acquire(path + ".lock", TimeSpan.FromMinutes(2));
        if (ModelFiles.TryReadVerified(path) is { } other) return other;
        var bytes = tfjs.Build(TfjsWeights.Load(Store.ManifestPath(tfjs.Net))).ToByteArray();
        ModelFiles.Write(path, bytes);
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

    /// <inheritdoc />
    public void Dispose()
    {
        lock (_preloads) Task.WaitAll([.. _preloads]);
        foreach (var lazy in _nets.Values)
            if (lazy.IsValueCreated) lazy.Value.Dispose();
    }
}
