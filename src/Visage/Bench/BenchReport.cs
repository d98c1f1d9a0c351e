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
                ["loadBefore"] = Array(LoadBefore),
                ["loadAfter"] = Array(LoadAfter),
            },
            ["residentBytesAllNets"] = ResidentBytes,
            ["limits"] = new JsonObject { ["peakGflops1"] = R(l.PeakGflops1), ["peakGflopsAll"] = R(l.PeakGflopsAll), ["readGBs1"] = R(l.ReadGBs1), ["readGBsAll"] = R(l.ReadGBsAll) },
            ["settings"] = new JsonObject { ["iterations"] = settings.Iterations, ["warmup"] = settings.Warmup, ["images"] = settings.Images, ["peer"] = settings.Peer },
            ["peer"] = PeerInfo?.DeepClone(),
            ["multiplyAdds"] = new JsonObject(Costs.Select(c => KeyValuePair.Create(c.Key, (JsonNode?)c.Value.Sum(x => x.MultiplyAdds)))),
            ["stages"] = new JsonArray([.. Stages.Select(s => (JsonNode)new JsonObject
            {
                ["stage"] = s.Spec.Name, ["unit"] = s.Spec.Unit, ["description"] = s.Spec.Description,
                ["multiplyAdds"] = s.MultiplyAdds > 0 ? s.MultiplyAdds : null,
                ["visage"] = Stats(s.All), ["visage1"] = Stats(s.One), ["peer"] = Stats(s.Peer),
                ["ratioWall"] = R(StageResult.Ratio(s.Peer, s.All)), ["ratioCore"] = R(StageResult.Ratio(s.Peer, s.One)),
                ["gflops"] = R(s.Gflops(s.All)), ["gflops1"] = R(s.Gflops(s.One)),
                ["peakShare"] = R(s.Gflops(s.All) / l.PeakGflopsAll), ["peakShare1"] = R(s.Gflops(s.One) / l.PeakGflops1),
            })]),
            ["enroll"] = new JsonArray([.. Enroll.Select(e => (JsonNode)new JsonObject
            {
                ["mode"] = e.Mode, ["photos"] = e.Photos, ["enrolled"] = e.Enrolled, ["seconds"] = R(e.Seconds), ["photosPerSecond"] = R(e.PhotosPerSecond),
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

    private static JsonArray? Array(double[]? v) => v is null ? null : new JsonArray([.. v.Select(x => (JsonNode)x)]);
    private static double? R(double? v) => v is { } x && double.IsFinite(x) ? Math.Round(x, 3) : null;
    private static string Load(double[]? v) => v is null ? "?" : string.Join(' ', v.Select(x => x.ToString("0.00", CultureInfo.InvariantCulture)));
    private static string Ms(double v) => double.IsNaN(v) ? "-" : v < 10 ? v.ToString("0.000") : v.ToString("0.0");
    private static string X(double? v) => v is { } x ? x.ToString("0.0") + "x" : "-";
    private static string F(double? v) => v is { } x ? x.ToString("0.0") : "-";
    private static string Pct(double? v, double peak) => v is { } x && peak > 0 ? (100 * x / peak).ToString("0") + "%" : "-";
}
