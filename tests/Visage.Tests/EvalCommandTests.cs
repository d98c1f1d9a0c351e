using Visage.Tests;

namespace Visage.Cli.Tests;

/// <summary><c>visage eval</c> as a user runs it, on six LFW persons of the shared set (faces come from the analysis cache after the first run).</summary>
public sealed class EvalCommandTests : IDisposable
{
    private static readonly string[] Persons = ["Amanda_Bynes", "Angelo_Reyes", "Annette_Lu", "Edmund_Stoiber", "Edward_Lu", "Eileen_Coparropa"];
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("visage-eval-");

    public EvalCommandTests()
    {
        foreach (var p in Persons)
        {
            var target = Directory.CreateDirectory(Path.Combine(_dir.FullName, "set", p));
            foreach (var f in Directory.GetFiles(Path.Combine(TestData.Faces, p))) File.Copy(f, Path.Combine(target.FullName, Path.GetFileName(f)));
        }
    }

    private string Set => Path.Combine(_dir.FullName, "set");

    public void Dispose() => _dir.Delete(recursive: true);

    [Fact]
    public void Eval_without_pairs_generates_them_and_writes_json_and_a_report()
    {
        var report = Path.Combine(_dir.FullName, "report");
        var r = VisageProcess.Run("eval", Set, "--json", "--report", report);

        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Contains("no --pairs file: generated", r.Stderr);
        var v = r.Json.GetProperty("variants")[0];
        Assert.Equal("visage", v.GetProperty("name").GetString());
        Assert.InRange(v.GetProperty("verification").GetProperty("accuracy").GetDouble(), 0.8, 1.0);
        Assert.InRange(v.GetProperty("verification").GetProperty("threshold").GetDouble(), 0.2, 1.2);
        Assert.Equal(3, v.GetProperty("identification").GetProperty("modes").GetArrayLength());
        Assert.Equal(0, v.GetProperty("photosWithoutFace").GetArrayLength());

        var markdown = File.ReadAllText(Path.Combine(report, "report.md"));
        Assert.Contains("## Verification", markdown);
        Assert.Contains("visage eval", markdown);
        foreach (var png in new[] { "roc.png", "distances-visage.png" })
        {
            var bytes = File.ReadAllBytes(Path.Combine(report, png));
            Assert.True(bytes.Length > 10_000 && bytes[1] == 'P' && bytes[2] == 'N' && bytes[3] == 'G', png);
        }
    }

    [Fact]
    public void Eval_prints_a_table_with_the_threshold()
    {
        var r = VisageProcess.Run("eval", Set, "--seed", "3");
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Contains("Verification", r.Stdout);
        Assert.Contains("threshold", r.Stdout);
        Assert.Contains("rank-1", r.Stdout);
    }

    [Fact]
    public void A_pairs_file_naming_a_missing_photo_is_a_usage_error()
    {
        var pairs = Path.Combine(_dir.FullName, "pairs.txt");
        File.WriteAllText(pairs, "1\t1\nAmanda_Bynes\t1\t9\nAmanda_Bynes\t1\tAngelo_Reyes\t1\n");
        var r = VisageProcess.Run("eval", Set, "--pairs", pairs);
        Assert.Equal(ExitCodes.Usage, r.ExitCode);
        Assert.Contains("no number 9", r.Stderr);
    }

    [Fact]
    public void A_missing_folder_is_file_not_found()
    {
        var r = VisageProcess.Run("eval", Path.Combine(_dir.FullName, "nowhere"));
        Assert.Equal(ExitCodes.FileNotFound, r.ExitCode);
    }
}
