using System.Text.Json;
using Visage.Cli.Bench;
using Visage.Tests;

namespace Visage.Cli.Tests.Bench;

/// <summary>
/// <c>visage bench --smoke</c> runs every stage a few times, with the peer, bulk enroll and a 10k gallery, so the bench
/// cannot rot. Checks what it reports, never how fast anything was.
/// </summary>
[Collection(PeerCollection.Name)]
public sealed class BenchSmokeTests : IDisposable
{
    private readonly DirectoryInfo _enroll = Directory.CreateTempSubdirectory("visage-bench-enroll-");

    public void Dispose() => _enroll.Delete(recursive: true);

    [Fact]
    public void Smoke_bench_reports_every_stage_the_peer_the_limits_and_an_exact_gallery()
    {
        // Three persons, two photos each: a small folder in the layout enroll reads.
        foreach (var person in Directory.GetDirectories(TestData.Faces).Order(StringComparer.Ordinal).Take(3))
        {
            var target = Directory.CreateDirectory(Path.Combine(_enroll.FullName, Path.GetFileName(person)));
            foreach (var photo in Directory.GetFiles(person).Order(StringComparer.Ordinal).Take(2)) File.Copy(photo, Path.Combine(target.FullName, Path.GetFileName(photo)));
        }
        PeerClient.EnsureInstalled(PeerClient.Locate(Path.Combine(TestData.RepoRoot, "bench", "peer-faceapi")), Console.Out);

        var result = VisageProcess.Run(
            ["bench", "--smoke", "--json", "--images", TestData.Samples, "--peer", "--peer-dir", Path.Combine(TestData.RepoRoot, "bench", "peer-faceapi"), "--enroll", _enroll.FullName, "--compressed-gallery", "20000"],
            timeout: TimeSpan.FromMinutes(4));

        Assert.True(result.ExitCode == 0, result.ToString());
        var json = result.Json;
        Assert.True(json.GetProperty("limits").GetProperty("peakGflopsAll").GetDouble() > 0);
        Assert.True(json.GetProperty("limits").GetProperty("readGBs1").GetDouble() > 0);
        Assert.Equal(3143.0, json.GetProperty("multiplyAdds").GetProperty("ssd_mobilenetv1_model").GetInt64() / 1e6, 0.05);

        var stages = json.GetProperty("stages").EnumerateArray().ToDictionary(s => s.GetProperty("stage").GetString()!);
        Assert.Equal(StageSpec.All.Select(s => s.Name).Order(), stages.Keys.Order());
        foreach (var spec in StageSpec.All)
        {
            var stage = stages[spec.Name];
            Assert.True(stage.GetProperty("visage").GetProperty("median").GetDouble() > 0, spec.Name);
            Assert.True(stage.GetProperty("visage1").GetProperty("median").GetDouble() > 0, spec.Name);
            if (spec.HasPeer) Assert.Equal(spec.PeerName, stage.GetProperty("peerStage").GetString());
            if (spec.HasPeer) Assert.True(stage.GetProperty("ratioCore").GetDouble() > 0, spec.Name);
            if (spec.Net is not null) Assert.True(stage.GetProperty("gflops").GetDouble() > 0, spec.Name);
        }

        var enroll = json.GetProperty("enroll").EnumerateArray().ToList();
        Assert.Contains(enroll, e => e.GetProperty("mode").GetString() == "pipelined" && e.GetProperty("enrolled").GetInt32() > 0);

        var gallery = Assert.Single(json.GetProperty("gallery").EnumerateArray());
        Assert.Equal(10_000, gallery.GetProperty("faces").GetInt32());
        Assert.Equal(1.0, gallery.GetProperty("recall").GetDouble());
        Assert.Equal(gallery.GetProperty("queries").GetInt32(), gallery.GetProperty("exactAnswers").GetInt32());

        var compressed = Assert.Single(json.GetProperty("compressed").EnumerateArray());
        Assert.Equal(20_000, compressed.GetProperty("faces").GetInt32());
        Assert.Equal(20_000L * 512 + 4096, compressed.GetProperty("fileBytes").GetInt64(), 20_000L * 256); // room grows by half again
        Assert.True(compressed.GetProperty("resident").GetProperty("searched").GetProperty("total").GetInt64() > 0);
        var efforts = compressed.GetProperty("efforts").EnumerateArray().ToList();
        Assert.Equal(2, efforts.Count);
        Assert.All(efforts, e => Assert.True(e.GetProperty("recall").GetDouble() > 0.9, e.ToString()));
        Assert.True(compressed.GetProperty("openSeconds").GetDouble() > 0);
    }

    [Fact]
    public void Without_photos_the_bench_measures_the_networks_alone()
    {
        var result = VisageProcess.Run(["bench", "--smoke", "--json", "--gallery", ""], timeout: TimeSpan.FromMinutes(2));

        Assert.True(result.ExitCode == 0, result.ToString());
        var stages = result.Json.GetProperty("stages").EnumerateArray().Select(s => s.GetProperty("stage").GetString()).ToList();
        Assert.Equal(StageSpec.All.Where(s => s.Net is not null && !s.NeedsFaces).Select(s => s.Name), stages);
        Assert.Empty(result.Json.GetProperty("gallery").EnumerateArray());
    }
}
