using Visage.Cli;
using Visage.Tests;

namespace Visage.Cli.Tests;

/// <summary>Each kind of bad input gets one clear line on stderr and its own exit code.</summary>
public sealed class BadInputTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("visage-bad-input-");

    public void Dispose() => _dir.Delete(recursive: true);

    private string Write(string name, byte[] bytes)
    {
        var path = Path.Combine(_dir.FullName, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    public static TheoryData<string, int> Cases => new()
    {
        { "text", ExitCodes.NotAnImage },
        { "truncated", ExitCodes.TruncatedImage },
        { "empty", ExitCodes.EmptyImage },
        { "huge", ExitCodes.ImageTooLarge },
        { "missing", ExitCodes.FileNotFound },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Detect_reports_one_line_and_a_distinct_exit_code(string kind, int expected)
    {
        var path = kind switch
        {
            "text" => Write("notes.jpg", "just some text, not a photo"u8.ToArray()),
            "truncated" => Write("half.jpg", File.ReadAllBytes(TestImages.Sample1)[..50_000]),
            "empty" => Write("empty.jpg", []),
            "huge" => Write("huge.png", HostileImages.BlackPng(10_000, 10_000)),
            _ => Path.Combine(_dir.FullName, "does-not-exist.jpg"),
        };

        var result = VisageProcess.Run("detect", path);

        Assert.Equal(expected, result.ExitCode);
        Assert.StartsWith("visage: error: ", result.Stderr);
        Assert.Single(result.Stderr.Trim().Split('\n'));
        Assert.Equal("", result.Stdout);
    }

    [Fact]
    public void Distinct_failures_have_distinct_codes()
    {
        var codes = typeof(ExitCodes).GetFields().Select(f => (int)f.GetValue(null)!).ToList();
        Assert.Equal(codes.Count, codes.Distinct().Count());
    }

    [Fact]
    public void A_corrupt_model_cache_is_detected_by_hash_and_fetched_again()
    {
        // A private cache holding the verified package tarball and an extracted copy with one damaged file.
        var home = Path.Combine(_dir.FullName, "home");
        var shared = new Visage.Models.ModelStore();
        var store = new Visage.Models.ModelStore(home);
        Directory.CreateDirectory(store.PackagesDirectory);
        File.Copy(Path.Combine(shared.PackagesDirectory, Visage.Models.ModelCatalog.TarballName), Path.Combine(store.PackagesDirectory, Visage.Models.ModelCatalog.TarballName));
        store.EnsureAvailable();
        var weights = store.WeightsPath(Visage.Models.ModelCatalog.Get("ssd_mobilenetv1_model"));
        File.WriteAllBytes(weights, File.ReadAllBytes(weights)[..1000]);

        var result = VisageProcess.Run(["detect", Path.Combine(TestData.Samples, "sample2.jpg"), "--json"], new Dictionary<string, string> { ["VISAGE_HOME"] = home });

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("failed its hash check", result.Stderr);
        Assert.True(store.IsComplete());
        Assert.Equal(3, result.Json.GetProperty("faces").GetArrayLength());
    }
}
