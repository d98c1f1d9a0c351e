using Visage.Tests;

namespace Visage.Cli.Tests;

/// <summary><c>visage eval DIR --openset</c> as a user runs it on the shared photos (faces from the analysis cache after the first run).</summary>
public sealed class OpenSetEvalCommandTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("visage-openset-");

    public void Dispose() => _dir.Delete(recursive: true);

    [Fact]
    public void Openset_prints_json_per_cell_and_writes_the_plots()
    {
        var report = Path.Combine(_dir.FullName, "report");
        var r = VisageProcess.Run("eval", TestData.Faces, "--openset", "--rounds", "2", "--json", "--report", report);

        Assert.True(r.ExitCode == 0, r.ToString());
        var json = r.Json;
        Assert.Equal(47, json.GetProperty("persons").GetInt32());
        Assert.Equal(24, json.GetProperty("heldOutPersons").GetInt32());
        var cells = json.GetProperty("cells").EnumerateArray().ToList();
        Assert.Contains(cells, c => c.GetProperty("faces").GetInt32() == 0); // the "half" cell of the first target
        Assert.All(cells, c => Assert.InRange(c.GetProperty("strangersNamed").GetProperty("value").GetDouble(), 0, 0.2));
        Assert.InRange(json.GetProperty("confidence").GetProperty("expectedCalibrationError").GetDouble(), 0, 0.1);
        Assert.Equal(46, json.GetProperty("fittedOnAll").GetProperty("degreesOfFreedom").GetDouble());

        Assert.Contains("Open-set identification", File.ReadAllText(Path.Combine(report, "openset.md")));
        foreach (var png in new[] { "openset-named.png", "openset-strangers.png", "openset-operating.png", "openset-reliability.png" })
        {
            var bytes = File.ReadAllBytes(Path.Combine(report, png));
            Assert.True(bytes.Length > 10_000 && bytes[1] == 'P' && bytes[2] == 'N' && bytes[3] == 'G', png);
        }
    }
}
