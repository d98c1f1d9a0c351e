using System.CommandLine;
using Visage.Cli;
using Visage.Cli.Bench;

namespace Visage.Commands;

/// <summary>
/// <c>visage bench [--images DIR] [--json] [--peer]</c>: latency of every stage, achieved GFLOP/s against this machine's
/// measured FMA peak, gallery search at 10k/100k/1M faces, and with <c>--peer</c> face-api.js on the same photos,
/// interleaved run by run. An HTTP stage joins when <c>visage serve</c> exists (add it to <see cref="StageSpec.All"/>).
/// </summary>
internal static class BenchCommand
{
    public static Command Create()
    {
        var images = new Option<string?>("--images") { Description = "Folder of photos for the pipeline stages (e.g. ../shared/data/samples); without it only the networks and the gallery are measured" };
        var json = new Option<bool>("--json") { Description = "Print JSON" };
        var peer = new Option<bool>("--peer") { Description = "Run face-api.js (bench/peer-faceapi, installed with npm on first use) on the same photos, interleaved" };
        var peerDir = new Option<string?>("--peer-dir") { Description = "Folder of the face-api.js peer (default: bench/peer-faceapi above the working directory)" };
        var iterations = new Option<int>("--iterations") { Description = "Timed runs per stage", DefaultValueFactory = _ => 12 };
        var gallery = new Option<string>("--gallery") { Description = "Gallery sizes to search, comma-separated (empty: none)", DefaultValueFactory = _ => "10000,100000,1000000" };
        var queries = new Option<int>("--queries") { Description = "Queries per gallery size", DefaultValueFactory = _ => 64 };
        var compressed = new Option<string>("--compressed-gallery") { Description = "Compressed gallery sizes to build and search, comma-separated (e.g. 1000000,10000000; 5 GB of files per 10M faces)", DefaultValueFactory = _ => "" };
        var indexDir = new Option<string?>("--index-dir") { Description = "Where the compressed galleries' files go (default: the temp folder)" };
        var probeShares = new Option<string>("--probe-shares") { Description = "Shares of the lists a compressed search probes, comma-separated", DefaultValueFactory = _ => "0.0625,0.125" };
        var enroll = new Option<string?>("--enroll") { Description = "Folder of photos, one subfolder per person, for bulk enroll throughput" };
        var enrollLimit = new Option<int>("--enroll-limit") { Description = "Photos of --enroll to use", DefaultValueFactory = _ => 200 };
        var enrollSize = new Option<string?>("--enroll-size") { Description = "Only enroll photos of this size, e.g. 250x250" };
        var stages = new Option<string?>("--stages") { Description = "Only these stages, comma-separated" };
        var noSingle = new Option<bool>("--no-single-thread") { Description = "Skip the one-thread runs (per-core figures)" };
        var spinning = new Option<bool>("--spinning") { Description = "Let idle inference threads spin (ONNX Runtime's default; Visage's is off)" };
        var perSession = new Option<bool>("--per-session-threads") { Description = "A thread pool per network instead of one shared pool" };
        var smoke = new Option<bool>("--smoke") { Description = "A few iterations of everything on small sizes (checks that the bench runs)" };
        var command = new Command("bench", "Measure every stage against face-api.js and this machine's limits")
        {
            images, json, peer, peerDir, iterations, gallery, queries, compressed, indexDir, probeShares, enroll, enrollLimit, enrollSize, stages, noSingle, spinning, perSession, smoke,
        };
        command.SetAction(r => CommandRunner.Run(() =>
        {
            var settings = new BenchSettings
            {
                Images = r.GetValue(images),
                Peer = r.GetValue(peer),
                PeerDir = r.GetValue(peerDir),
                Iterations = r.GetValue(iterations),
                GallerySizes = Sizes(r.GetValue(gallery)!),
                Queries = r.GetValue(queries),
                CompressedSizes = Sizes(r.GetValue(compressed)!),
                IndexDirectory = r.GetValue(indexDir),
                ProbeShares = Shares(r.GetValue(probeShares)!),
                EnrollDir = r.GetValue(enroll),
                EnrollLimit = r.GetValue(enrollLimit),
                EnrollSize = Size(r.GetValue(enrollSize)),
                OneThread = !r.GetValue(noSingle),
                Stages = r.GetValue(stages)?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
                Inference = new Models.InferenceOptions { Spinning = r.GetValue(spinning), SharedThreads = !r.GetValue(perSession) },
            };
            if (r.GetValue(smoke)) settings = settings.Smoke() with { GallerySizes = settings.GallerySizes.Length == 0 ? [] : [10_000] };
            if (settings.Iterations < 1 || settings.Queries < 1) throw new CliException(ExitCodes.Usage, "--iterations and --queries must be at least 1");
            var unknown = settings.Stages?.Except(StageSpec.All.Select(s => s.Name)).ToList();
            if (unknown is { Count: > 0 }) throw new CliException(ExitCodes.Usage, $"unknown stage(s): {string.Join(", ", unknown)}");

            var report = new BenchRunner(settings, Console.Error).Run();
            if (r.GetValue(json)) Console.Out.WriteLine(report.ToJson().ToJsonString(JsonOutput.Options));
            else report.WriteText(Console.Out);
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static (int, int)? Size(string? text)
    {
        if (text is null) return null;
        var parts = text.Split('x');
        return parts.Length == 2 && int.TryParse(parts[0], out var w) && int.TryParse(parts[1], out var h)
            ? (w, h)
            : throw new CliException(ExitCodes.Usage, $"--enroll-size takes WIDTHxHEIGHT, e.g. 250x250: {text}");
    }

    private static double[] Shares(string text)
    {
        try
        {
            var shares = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(t => double.Parse(t, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
            return shares.Length > 0 && shares.All(x => x > 0 && x <= 1) ? shares : throw new FormatException();
        }
        catch (FormatException) { throw new CliException(ExitCodes.Usage, $"--probe-shares takes shares in (0, 1] like 0.0625,0.125: {text}"); }
    }

    private static int[] Sizes(string text)
    {
        try { return [.. text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(int.Parse)]; }
        catch (FormatException) { throw new CliException(ExitCodes.Usage, $"--gallery takes sizes like 10000,100000: {text}"); }
    }
}
