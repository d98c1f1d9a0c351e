using Visage.Alignment;
using Visage.Embedding;
using Visage.Gallery.Search;
using Visage.Gallery;
using Visage.Imaging;
using Visage.Models;
using Visage.Pipeline;

namespace Visage.Cli.Bench;

/// <summary>
/// Runs a bench: the machine's limits, then every stage on the photos (Visage on all cores, Visage on one thread and
/// the face-api.js peer interleaved run by run, so that drift of a shared machine hits all three alike), bulk enroll,
/// and gallery search. Progress goes to <c>log</c>; the figures come back as a <see cref="BenchReport"/>.
/// </summary>
public sealed class BenchRunner(BenchSettings settings, TextWriter log)
{
    private const int GalleryFaces = 10_000;

    public BenchReport Run()
    {
        var report = new BenchReport(settings) { LoadBefore = MachineInfo.LoadAverage() };
        var store = new ModelStore();
        using var models = new ModelRepository(store, settings.Inference, log);
        report.ResidentBytes = ResidentWithAllNets(models);
        log.WriteLine("measuring the machine's limits ...");
        report.Limits = MachineLimits.Measure(settings.LimitRepeats, settings.StreamBytes);

        using var single = new ModelRepository(store, settings.Inference with { IntraOpThreads = 1 }, log);
        // The int8 variants run the same multiply-adds: their stages are counted with the fp32 graph's cost.
        report.Costs = VisageModels.Registry.Models.Where(m => m.Variant == ModelVariant.Fp32)
            .ToDictionary(m => m.Name, m => NetCost.Count(models.LoadOrConvert(m), [1, 3, m.Input.Size, m.Input.Size]));

        var images = settings.Images is null ? [] : LoadImages(settings.Images, models);
        using var gallery = SyntheticGallery(new FaceAnalyzerOptions().ModelId()); // the default analyzer's model id
        using var all = new VisageStages(models, gallery, settings.HttpWarmup);
        using var one = settings.OneThread ? new VisageStages(single, gallery, settings.HttpWarmup) : null;
        using var peer = settings.Peer ? StartPeer(images, report) : null;
        if (images.Count > 0 && settings.ProcessWarmup > 0)
        {
            log.WriteLine($"warming up ({settings.ProcessWarmup} analyses) ...");
            for (var i = 0; i < settings.ProcessWarmup; i++) all.Run("recognize", images[i % images.Count]);
        }

        foreach (var spec in StageSpec.All.Where(s => settings.Stages is null || settings.Stages.Contains(s.Name)))
        {
            var pool = spec.NeedsFaces ? images.Where(i => i.Faces.Count > 0).ToList() : images;
            if (pool.Count == 0 && (spec.Net is null || spec.NeedsFaces)) continue; // a photo stage without photos
            if (pool.Count == 0) pool = [Blank()]; // a network alone needs no photo
            var result = new StageResult(spec, spec.Net is null ? 0 : report.Costs[spec.Net].Sum(l => l.MultiplyAdds));
            log.WriteLine($"stage {spec.Name} ...");
            for (var i = -settings.Warmup; i < settings.Iterations; i++)
            {
                var image = pool[(i + settings.Warmup) % pool.Count];
                var id = images.IndexOf(image).ToString();
                Record(i >= 0 ? result.All : null, () => all.Run(spec.Name, image));
                if (one is not null) Record(i >= 0 ? result.One : null, () => one.Run(spec.Name, image));
                if (peer is not null && spec.HasPeer)
                {
                    var (ms, items) = peer.Run(id, spec.PeerName);
                    if (i >= 0) result.Peer.Add(ms / items);
                }
            }
            report.Stages.Add(result);
        }

        if (settings.EnrollDir is { } folder)
        {
            var photos = EnrollBench.Photos(folder, settings.EnrollLimit, settings.EnrollSize);
            using var analyzer = new FaceAnalyzer(new FaceAnalyzerOptions(), models);
            log.WriteLine($"bulk enroll of {photos.Count} photos ...");
            EnrollBench.Run(photos.Take(2).ToList(), analyzer, pipelined: false); // warm-up
            foreach (var pipelined in new[] { false, true, false, true })
                report.Enroll.Add(EnrollBench.Run(photos, analyzer, pipelined));
        }

        foreach (var size in settings.GallerySizes)
        {
            log.WriteLine($"gallery search over {size:N0} faces ...");
            report.Gallery.Add(GalleryBench.Run(size, settings.Queries, Environment.ProcessorCount, Math.Min(settings.Queries, 24), log));
        }
        foreach (var size in settings.CompressedSizes)
        {
            log.WriteLine($"compressed gallery of {size:N0} faces ...");
            var directory = Path.Combine(settings.IndexDirectory ?? Path.GetTempPath(), $"visage-bench-index-{size}-{Environment.ProcessId}");
            try { report.Compressed.Add(CompressedGalleryBench.Run(size, settings.Queries, settings.ProbeShares, directory, log)); }
            finally { Directory.Delete(directory, recursive: true); }
        }
        report.LoadAfter = MachineInfo.LoadAverage();
        report.Machine = MachineFacts.Read();
        return report;
    }

    /// <summary>
    /// The process's resident memory once every network is loaded and has run once (what an idle service holds),
    /// measured first, before the bench allocates anything of its own.
    /// </summary>
    private static long ResidentWithAllNets(ModelRepository models)
    {
        foreach (var m in VisageModels.Registry.Models.Where(m => m.Variant == ModelVariant.Fp32))
            models.Get(m).Run(new float[3 * m.Input.Size * m.Input.Size], [1, 3, m.Input.Size, m.Input.Size]);
        GC.Collect();
        GC.WaitForPendingFinalizers();
        using var self = System.Diagnostics.Process.GetCurrentProcess();
        return self.WorkingSet64;
    }


    private static void Record(Samples? samples, Func<int> run)
    {
        var items = 0;
        var ms = Samples.Time(() => items = run());
        samples?.Add(ms / Math.Max(1, items));
    }

    private List<BenchImage> LoadImages(string folder, ModelRepository models)
    {
        if (!Directory.Exists(folder)) throw new DirectoryNotFoundException($"folder not found: {folder}");
        var files = Commands.ImageFiles.InFolder(folder);
        if (files.Count == 0) throw new CliException(ExitCodes.Usage, $"no images in {folder}");
        log.WriteLine($"loading {files.Count} images from {folder} ...");
        using var analyzer = new FaceAnalyzer(new FaceAnalyzerOptions(), models);
        return [.. BenchImage.Load(files, new ImageDecoder(), analyzer)];
    }

    /// <summary>The gallery the recognize stage matches against: seeded synthetic faces.</summary>
    private static GalleryIndex SyntheticGallery(string modelId)
    {
        var index = new GalleryIndex(modelId, GalleryFaces);
        var synth = new SyntheticFaces(seed: 1);
        var v = new float[128];
        for (var f = 0; f < GalleryFaces; f++)
        {
            synth.Face(f, v);
            index.Add(f, f / synth.FacesPerPerson, $"person {f / synth.FacesPerPerson}", v);
        }
        return index;
    }

    private PeerClient StartPeer(IReadOnlyList<BenchImage> images, BenchReport report)
    {
        var dir = PeerClient.Locate(settings.PeerDir);
        PeerClient.EnsureInstalled(dir, log);
        log.WriteLine("starting the face-api.js peer ...");
        var peer = PeerClient.Start(dir);
        report.PeerInfo = peer.Info;
        for (var i = 0; i < images.Count; i++) peer.Load(i.ToString(), images[i].Image, images[i].Path);
        if (images.Count == 0) peer.Load("-1", Blank().Image, null);
        return peer;
    }

    /// <summary>A stand-in image for the network-alone stages when no photos were given.</summary>
    private static BenchImage Blank() => new("blank", "", [], new RgbImage(640, 480, new byte[640 * 480 * 3]), [], [], []);
}
