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
            "huge" => Write("huge.png", TestImages.BlackPng(10_000, 10_000)),
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
}
