using System.Diagnostics;
using Visage.Fuzz;
using Visage.Imaging;
using Visage.Pipeline;
using Visage.Tests;
using Visage;

// Fuzz harness: hostile images into the library's decode path (straight into FaceAnalyzer) or into the CLI.
//   dotnet run --project tests/Visage.Fuzz -c Release -- library --seed 1 --count 10000 --seconds 600
//   dotnet run --project tests/Visage.Fuzz -c Release -- cli --seed 1 --count 200
//   dotnet run --project tests/Visage.Fuzz -c Release -- http --seed 1 --count 10000 --seconds 3600
// Exit code 0 when every case kept the promises (a clear error, no crash, bounded memory), 1 otherwise.
var options = FuzzOptions.Parse(args);
var generator = new HostileImages(SeedPhotos.Load(), options.Seed);
var report = new FuzzReport(options);
long? serverPeak = null;
switch (options.Target)
{
    case "http":
        serverPeak = await HttpTarget.RunAsync(options, generator, report);
        break;
    case "library":
        LibraryTarget.Run(options, generator, report);
        break;
    case "cli":
        CliTarget.Run(options, generator, report);
        break;
    default:
        Console.Error.WriteLine($"unknown target '{options.Target}' (library, cli or http)");
        return 2;
}
report.Print(serverPeak);
return report.Violations.Count == 0 ? 0 : 1;

/// <summary>Decode, and when that succeeds analyze: only <see cref="ImageDecodeException"/> may come out.</summary>
internal static class LibraryTarget
{
    public static void Run(FuzzOptions options, HostileImages generator, FuzzReport report)
    {
        using var analyzer = new FaceAnalyzer();
        var decoder = new ImageDecoder();
        for (var i = 0; i < options.Count && !report.OutOfTime; i++)
        {
            var (kind, bytes) = generator.Next(i);
            try
            {
                var image = decoder.Decode(bytes);
                var faces = analyzer.Analyze(image).Faces.Count;
                report.Add(kind, faces == 0 ? "decoded, no face" : "decoded, faces");
            }
            catch (ImageDecodeException e)
            {
                report.Add(kind, e.Error.ToString());
            }
            catch (Exception e)
            {
                report.Add(kind, "UNEXPECTED " + e.GetType().Name);
                report.Violation(i, kind, bytes, $"{e.GetType().Name}: {e.Message}");
            }
        }
    }
}

/// <summary>
/// <c>visage detect FILE</c> per case: exit 0 or one of the image error codes, one line on stderr, never a crash
/// or the "unexpected failure" code.
/// </summary>
internal static class CliTarget
{
    private static readonly HashSet<int> Allowed = [0, 4, 5, 6, 7, 8];

    public static void Run(FuzzOptions options, HostileImages generator, FuzzReport report)
    {
        var dll = Path.Combine(SeedPhotos.RepoRoot(), "src", "Visage", "bin", "Release", "net10.0", "visage.dll");
        if (!File.Exists(dll)) throw new FileNotFoundException("build the CLI first: dotnet build src/Visage -c Release", dll);
        var file = Path.Combine(Path.GetTempPath(), $"visage-fuzz-{Environment.ProcessId}.img");
        long peak = 0;
        for (var i = 0; i < options.Count && !report.OutOfTime; i++)
        {
            var (kind, bytes) = generator.Next(i);
            File.WriteAllBytes(file, bytes);
            var psi = new ProcessStartInfo("dotnet", [dll, "detect", file]) { RedirectStandardError = true, RedirectStandardOutput = true };
            using var p = Process.Start(psi)!;
            var stderr = p.StandardError.ReadToEndAsync();
            p.StandardOutput.ReadToEnd();
            while (!p.WaitForExit(50))
                try { peak = Math.Max(peak, p.PeakWorkingSet64); } catch (InvalidOperationException) { }
            var lines = stderr.Result.Trim().Split('\n', StringSplitOptions.RemoveEmptyEntries);
            report.Add(kind, $"exit {p.ExitCode}");
            if (!Allowed.Contains(p.ExitCode) || (p.ExitCode != 0 && lines.Length != 1))
                report.Violation(i, kind, bytes, $"exit {p.ExitCode}, stderr: {stderr.Result.Trim()}");
        }
        File.Delete(file);
        Console.Error.WriteLine($"peak working set of a visage process: {peak / 1048576} MB");
    }
}
