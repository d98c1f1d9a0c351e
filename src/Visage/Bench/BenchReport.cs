using System.Globalization;
using System.Text.Json.Nodes;
using Visage.Models;

namespace Visage.Cli.Bench;

/// <summary>Everything one bench run measured, printable as a table or as JSON.</summary>
public sealed class BenchReport(BenchSettings settings)
{
    public BenchSettings Settings => settings;
    public double[]? LoadBefore { get; init; }
    public double[]? LoadAfter { get; set; }
    public MachineLimits Limits { get; set; } = new(0, 0, 0, 0, 1);
    /// <summary>The CPU and the kernels chosen on it (read after the networks were loaded).</summary>
    public MachineFacts Machine { get; set; } = null!;
    /// <summary>Resident memory with every network loaded and run once (an idle service's floor).</summary>
    public long ResidentBytes { get; set; }
    public Dictionary<string, IReadOnlyList<LayerCost>> Costs { get; set; } = [];
    public JsonObject? PeerInfo { get; set; }
    public List<StageResult> Stages { get; } = [];
    public List<EnrollResult> Enroll { get; } = [];
    public List<GalleryResult> Gallery { get; } = [];
    public List<CompressedGalleryResult> Compressed { get; } = [];

    public void WriteText(TextWriter w)
    {
        var l = Limits;
        w.WriteLine($"machine: {Machine.Cpu} x{l.Cores}, {Machine.Runtime}, load {Load(LoadBefore)} -> {Load(LoadAfter)}");
        w.WriteLine($"kernels: gallery scan {Machine.ScanKernel} (runs here: {string.Join(", ", Machine.SupportedScanKernels)}); onnxruntime {Machine.OnnxRuntime} " +
            $"{string.Join(", ", Machine.OnnxProviders)}, MLAS fp32 {Machine.MlasFloat32}, int8 {Machine.MlasInt8}; {string.Join(' ', Machine.InstructionSets)}");
        w.WriteLine($"limits: fp32 FMA peak {l.PeakGflops1:0} GFLOP/s on 1 core, {l.PeakGflopsAll:0} on {l.Cores}; streaming read {l.ReadGBs1:0.0} GB/s on 1 core, {l.ReadGBsAll:0.0} on {l.Cores}");
        w.WriteLine($"resident memory with all networks loaded: {ResidentBytes / 1e6:0} MB");
        if (PeerInfo is not null) w.WriteLine($"peer: face-api.js {PeerInfo["versions"]?["faceapi"]} on tfjs {PeerInfo["versions"]?["tfjs"]} {PeerInfo["backend"]} ({PeerInfo["threads"]} thread, SIMD {PeerInfo["simd"]})");
        foreach (var (net, layers) in Costs)
            w.WriteLine($"  {net}: {layers.Sum(x => x.MultiplyAdds) / 1e6:0.0} M multiply-adds in {layers.Count} Conv/MatMul");
        w.WriteLine();
        w.WriteLine($"{"stage",-20} {"per",-5} {"median",8} {"p95",8} {"1-thr",8} {"peer",8} {"x wall",7} {"x core",7} {"GFLOP/s",8} {"%peak",6} {"1-thr",6} {"%peak",6}");
        foreach (var s in Stages)
        {
            w.WriteLine($"{s.Spec.Name,-20} {s.Spec.Unit,-5} {Ms(s.All.Median),8} {Ms(s.All.P95),8} {Ms(s.One.Median),8} {Ms(s.Peer.Median),8} " +
                $"{X(StageResult.Ratio(s.Peer, s.All)),7} {X(StageResult.Ratio(s.Peer, s.One)),7} " +
                $"{F(s.Gflops(s.All)),8} {Pct(s.Gflops(s.All), l.PeakGflopsAll),6} {F(s.Gflops(s.One)),6} {Pct(s.Gflops(s.One), l.PeakGflops1),6}");
        }
        if (Enroll.Count > 0)
        {
            w.WriteLine();
            foreach (var e in Enroll) w.WriteLine($"enroll {e.Mode,-10} {e.Photos} photos, {e.Enrolled} enrolled: {e.PhotosPerSecond:0.0} photos/s");
        }
        if (Gallery.Count > 0)
        {
            w.WriteLine();
            w.WriteLine($"{"gallery",10} {"MB/1M",7} {"f32 scan",9} {"GB/s",6} {"index",8} {"p95",8} {"recall",7} {"exact",7} {"q/s par",8} {"q/s batch",9}");
            foreach (var g in Gallery)
                w.WriteLine($"{g.Faces,10:N0} {g.BytesPerMillion / 1e6,7:0} {Ms(g.FloatScan1.Median),9} {g.FloatScanGBs,6:0.0} {Ms(g.Index1.Median),8} {Ms(g.Index1.P95),8} " +
                    $"{g.Recall,7:0.000} {g.ExactAnswers + "/" + g.Queries,7} {g.QpsParallel,8:0} {g.QpsBatched,9:0}");
            w.WriteLine();
            w.WriteLine("top-10 on one thread with each scan kernel this CPU runs (median ms, exact answers):");
            foreach (var g in Gallery)
                w.WriteLine($"{g.Faces,10:N0}  " + string.Join("  ", g.Kernels.Select(k => $"{k.Kernel} {Ms(k.Index1.Median)} ({k.ExactAnswers}/{k.Index1.Count})")));
        }
        if (Compressed.Count > 0)
        {
            w.WriteLine();
            w.WriteLine("compressed index (IVF lists of 4-bit PQ codes, float32 rows in a file read only for the re-rank), top-10 on one thread:");
            w.WriteLine($"{"faces",10} {"build s",8} {"file MB",8} {"MB/1M",7} {"anon",6} {"file",6} {"shmem",6} {"probes",7} {"p50",8} {"p99",8} {"cpu p50",8} {"cpu p99",8} {"recall",7} {"exact",9} {"q/s",6}");
            foreach (var c in Compressed)
            {
                var used = c.Searched - c.Before;
                foreach (var e in c.Efforts)
                    w.WriteLine($"{c.Faces,10:N0} {c.BuildSeconds,8:0.0} {c.FileBytes / 1e6,8:0} {used.Total / 1e6 / (c.Faces / 1e6),7:0} {used.Anonymous / 1e6,6:0} {used.File / 1e6,6:0} {used.Shared / 1e6,6:0} " +
                        $"{e.ProbeShare,7:0.####} {Ms(e.Wall.Median),8} {Ms(e.Wall.Percentile(0.99)),8} {Ms(e.Cpu.Median),8} {Ms(e.Cpu.Percentile(0.99)),8} {e.Recall,7:0.0000} {e.ExactAnswers + "/" + c.Queries,9} {e.QpsParallel,6:0}");
            }
            foreach (var c in Compressed)
                w.WriteLine($"{c.Faces,10:N0}: means of {c.Faces / 10:N0} persons built in {c.MeansSeconds:0.0} s (resident +{(c.WithMeans - c.Searched).Total / 1e6:0} MB), " +
                    $"centroid search {Ms(c.Centroid.Median)} ms (p99 {Ms(c.Centroid.Percentile(0.99))}), its person right {c.CentroidTop1:0.000}; saved in {c.SaveSeconds:0.0} s, reopened in {c.OpenSeconds:0.0} s; " +
                    $"the synthetic faces took another {c.SourceSeconds:0.0} s");
        }
    }

    public JsonObject ToJson()
    {
        var l = Limits;
        return new JsonObject
        {
            ["machine"] = new JsonObject
            {
                ["cpu"] = Machine.Cpu,
                ["cores"] = l.Cores,
                ["dotnet"] = Environment.Version.ToString(),
                ["instructionSets"] = new JsonArray([.. Machine.InstructionSets.Select(x => (JsonNode)x)]),
                ["scanKernel"] = Machine.ScanKernel,
                ["onnxRuntime"] = Machine.OnnxRuntime,
                ["onnxProviders"] = new JsonArray([.. Machine.OnnxProviders.Select(x => (JsonNode)x)]),
                ["mlasFloat32"] = Machine.MlasFloat32,
                ["mlasInt8"] = Machine.MlasInt8,
                ["exactInt8Sums"] = Machine.ExactInt8Sums,
                ["loadBefore"] = Array(LoadBefore),
                ["loadAfter"] = Array(LoadAfter),
            },
            ["residentBytesAllNets"] = ResidentBytes,
            ["limits"] = new JsonObject { ["peakGflops1"] = R(l.PeakGflops1), ["peakGflopsAll"] = R(l.PeakGflopsAll), ["readGBs1"] = R(l.ReadGBs1), ["readGBsAll"] = R(l.ReadGBsAll) },
            ["settings"] = new JsonObject { ["iterations"] = settings.Iterations, ["warmup"] = settings.Warmup, ["processWarmup"] = settings.ProcessWarmup, ["httpWarmup"] = settings.HttpWarmup, ["images"] = settings.Images, ["peer"] = settings.Peer },
            ["peer"] = PeerInfo?.DeepClone(),
            ["multiplyAdds"] = new JsonObject(Costs.Select(c => KeyValuePair.Create(c.Key, (JsonNode?)c.Value.Sum(x => x.MultiplyAdds)))),
            ["stages"] = new JsonArray([.. Stages.Select(s => (JsonNode)new JsonObject
            {
                ["stage"] = s.Spec.Name, ["unit"] = s.Spec.Unit, ["description"] = s.Spec.Description,
                ["multiplyAdds"] = s.MultiplyAdds > 0 ? s.MultiplyAdds : null,
                ["visage"] = Stats(s.All), ["visage1"] = Stats(s.One), ["peer"] = Stats(s.Peer), ["peerStage"] = s.Spec.HasPeer ? s.Spec.PeerName : null,
                ["ratioWall"] = R(StageResult.Ratio(s.Peer, s.All)), ["ratioCore"] = R(StageResult.Ratio(s.Peer, s.One)),
                ["gflops"] = R(s.Gflops(s.All)), ["gflops1"] = R(s.Gflops(s.One)),
                ["peakShare"] = R(s.Gflops(s.All) / l.PeakGflopsAll), ["peakShare1"] = R(s.Gflops(s.One) / l.PeakGflops1),
            })]),
            ["enroll"] = new JsonArray([.. Enroll.Select(e => (JsonNode)new JsonObject
            {
                ["mode"] = e.Mode, ["photos"] = e.Photos, ["enrolled"] = e.Enrolled, ["seconds"] = R(e.Seconds), ["photosPerSecond"] = R(e.PhotosPerSecond),
            })]),
            ["compressed"] = new JsonArray([.. Compressed.Select(c => (JsonNode)new JsonObject
            {
                ["faces"] = c.Faces, ["buildSeconds"] = R(c.BuildSeconds), ["sourceSeconds"] = R(c.SourceSeconds), ["fileBytes"] = c.FileBytes,
                ["resident"] = new JsonObject { ["before"] = Memory(c.Before), ["built"] = Memory(c.Built), ["searched"] = Memory(c.Searched), ["withMeans"] = Memory(c.WithMeans) },
                ["queries"] = c.Queries,
                ["efforts"] = new JsonArray([.. c.Efforts.Select(e => (JsonNode)new JsonObject
                {
                    ["probeShare"] = e.ProbeShare, ["rerank"] = e.Rerank, ["wall"] = Stats(e.Wall), ["wallP99"] = R(e.Wall.Percentile(0.99)),
                    ["cpu"] = Stats(e.Cpu), ["cpuP99"] = R(e.Cpu.Percentile(0.99)), ["recall"] = e.Recall, ["exactAnswers"] = e.ExactAnswers, ["qpsParallel"] = R(e.QpsParallel),
                })]),
                ["meansSeconds"] = R(c.MeansSeconds), ["centroid"] = Stats(c.Centroid), ["centroidTop1"] = c.CentroidTop1,
                ["saveSeconds"] = R(c.SaveSeconds), ["openSeconds"] = R(c.OpenSeconds),
            })]),
            ["gallery"] = new JsonArray([.. Gallery.Select(g => (JsonNode)new JsonObject
            {
                ["faces"] = g.Faces, ["bytesPerMillion"] = R(g.BytesPerMillion), ["buildSeconds"] = R(g.BuildSeconds),
                ["floatScan1"] = Stats(g.FloatScan1), ["floatScanGBs"] = R(g.FloatScanGBs), ["index1"] = Stats(g.Index1),
                ["recall"] = g.Recall, ["exactAnswers"] = g.ExactAnswers, ["queries"] = g.Queries,
                ["qpsParallel"] = R(g.QpsParallel), ["qpsBatched"] = R(g.QpsBatched),
                ["kernels"] = new JsonArray([.. g.Kernels.Select(k => (JsonNode)new JsonObject
                {
                    ["kernel"] = k.Kernel.ToString(), ["index1"] = Stats(k.Index1), ["exactAnswers"] = k.ExactAnswers,
                })]),
            })]),
        };
    }

    private static JsonObject? Stats(Samples s) => s.Count == 0 ? null : new JsonObject
    {
        ["median"] = R(s.Median),
        ["p95"] = R(s.P95),
        ["min"] = R(s.Min),
        ["n"] = s.Count,
        ["perSecond"] = R(1000 / s.Median),
    };

    private static JsonObject Memory(ResidentMemory m) => new() { ["total"] = m.Total, ["anonymous"] = m.Anonymous, ["file"] = m.File, ["shared"] = m.Shared };

    private static JsonArray? Array(double[]? v) => v is null ? null : new JsonArray([.. v.Select(x => (JsonNode)x)]);
    private static double? R(double? v) => v is { } x && double.IsFinite(x) ? Math.Round(x, 3) : null;
    private static string Load(double[]? v) => v is null ? "?" : string.Join(' ', v.Select(x => x.ToString("0.00", CultureInfo.InvariantCulture)));
    private static string Ms(double v) => double.IsNaN(v) ? "-" : v < 10 ? v.ToString("0.000") : v.ToString("0.0");
    private static string X(double? v) => v is { } x ? x.ToString("0.0") + "x" : "-";
    private static string F(double? v) => v is { } x ? x.ToString("0.0") : "-";
    private static string Pct(double? v, double peak) => v is { } x && peak > 0 ? (100 * x / peak).ToString("0") + "%" : "-";
}
