using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Visage.Imaging;

namespace Visage.Cli.Bench;

/// <summary>A face the peer found: box (x, y, width, height), score and descriptor.</summary>
public sealed record PeerFace(double[] Box, double Score, float[] Descriptor);

/// <summary>
/// The face-api.js peer (<c>bench/peer-faceapi/peer.js</c>) as a child process speaking one JSON object per line. It
/// is installed with npm on first use and gets the very pixels Visage decoded, as a raw RGB file.
/// </summary>
public sealed class PeerClient : IDisposable
{
    private readonly Process _process;
    private readonly string _scratch = Directory.CreateTempSubdirectory("visage-peer-").FullName;

    private PeerClient(Process process) => _process = process;

    /// <summary>Versions, backend and thread count the peer reported.</summary>
    public JsonObject Info { get; private set; } = [];

    /// <summary>The folder holding <c>peer.js</c>: <paramref name="explicitDir"/>, else <c>bench/peer-faceapi</c> above the working directory or the executable.</summary>
    /// <exception cref="CliException">No peer folder was found.</exception>
    public static string Locate(string? explicitDir)
    {
        if (explicitDir is not null) return File.Exists(Path.Combine(explicitDir, "peer.js")) ? Path.GetFullPath(explicitDir) : throw NotFound(explicitDir);
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "bench", "peer-faceapi");
                if (File.Exists(Path.Combine(candidate, "peer.js"))) return candidate;
            }
        throw NotFound("bench/peer-faceapi");
    }

    /// <summary>Runs <c>npm ci</c> in the peer folder when its packages are missing (the pinned lock file decides the versions).</summary>
    /// <exception cref="CliException">npm is missing or failed.</exception>
    public static void EnsureInstalled(string dir, TextWriter log)
    {
        if (Directory.Exists(Path.Combine(dir, "node_modules", "@vladmandic", "face-api"))) return;
        log.WriteLine($"installing the face-api.js peer in {dir} (npm ci) ...");
        var (code, output) = RunTool("npm", dir, "ci", "--no-audit", "--no-fund", "--ignore-scripts");
        if (code != 0) throw new CliException(ExitCodes.Failure, $"npm ci failed in {dir} (exit {code}): {output.Trim()}");
    }

    /// <summary>Starts the peer and loads its networks.</summary>
    /// <exception cref="CliException">Node is missing or the peer failed to start.</exception>
    public static PeerClient Start(string dir)
    {
        var psi = new ProcessStartInfo("node", "peer.js")
        {
            WorkingDirectory = dir,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        Process process;
        try { process = Process.Start(psi)!; }
        catch (System.ComponentModel.Win32Exception e) { throw new CliException(ExitCodes.Failure, $"cannot run node for the peer: {e.Message}"); }
        process.ErrorDataReceived += (_, _) => { }; // tfjs prints notices on stderr; drain them
        process.BeginErrorReadLine();
        var peer = new PeerClient(process);
        peer.Info = peer.Send(new JsonObject { ["cmd"] = "init" });
        return peer;
    }

    /// <summary>Hands the peer an image's pixels (and its encoded file, for the decode stage); returns the faces it finds.</summary>
    public int Load(string id, RgbImage image, string? encodedPath)
    {
        var raw = Path.Combine(_scratch, id + ".rgb");
        File.WriteAllBytes(raw, image.Pixels);
        var reply = Send(new JsonObject { ["cmd"] = "load", ["id"] = id, ["rgb"] = raw, ["width"] = image.Width, ["height"] = image.Height, ["jpeg"] = encodedPath is null ? null : Path.GetFullPath(encodedPath) });
        return reply["faces"]!.GetValue<int>();
    }

    /// <summary>Runs one stage once; the time is measured inside Node.</summary>
    public (double Ms, int Items) Run(string id, string stage)
    {
        var reply = Send(new JsonObject { ["cmd"] = "run", ["id"] = id, ["stage"] = stage });
        return (reply["ms"]!.GetValue<double>(), reply["items"]!.GetValue<int>());
    }

    /// <summary>face-api.js's full pipeline on a loaded image (SSD at 0.5, landmarks, descriptors).</summary>
    public IReadOnlyList<PeerFace> Describe(string id)
    {
        var reply = Send(new JsonObject { ["cmd"] = "describe", ["id"] = id });
        return reply["faces"]!.AsArray().Select(f => new PeerFace(
            f!["box"]!.AsArray().Select(v => v!.GetValue<double>()).ToArray(),
            f["score"]!.GetValue<double>(),
            f["descriptor"]!.AsArray().Select(v => v!.GetValue<float>()).ToArray())).ToList();
    }

    private JsonObject Send(JsonObject command)
    {
        _process.StandardInput.WriteLine(command.ToJsonString());
        _process.StandardInput.Flush();
        var line = _process.StandardOutput.ReadLine()
            ?? throw new CliException(ExitCodes.Failure, $"the face-api.js peer exited (code {(_process.HasExited ? _process.ExitCode : -1)})");
        var reply = JsonNode.Parse(line)!.AsObject();
        if (reply["ok"]?.GetValue<bool>() != true) throw new CliException(ExitCodes.Failure, $"face-api.js peer: {reply["error"]}");
        return reply;
    }

    private static CliException NotFound(string dir) =>
        new(ExitCodes.FileNotFound, $"the face-api.js peer (peer.js) is not in {dir}; run from the repository or pass --peer-dir");

    private static (int Code, string Output) RunTool(string tool, string dir, params string[] args)
    {
        var psi = new ProcessStartInfo(tool) { WorkingDirectory = dir, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        try
        {
            using var p = Process.Start(psi)!;
            var stdout = p.StandardOutput.ReadToEndAsync();
            var stderr = p.StandardError.ReadToEnd();
            p.WaitForExit();
            return (p.ExitCode, stdout.Result + stderr);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new CliException(ExitCodes.Failure, $"cannot run {tool}: {e.Message}");
        }
    }

    public void Dispose()
    {
        try
        {
            _process.StandardInput.Close();
            if (!_process.WaitForExit(5000)) _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException) { }
        _process.Dispose();
        try { Directory.Delete(_scratch, recursive: true); } catch (IOException) { }
    }
}
