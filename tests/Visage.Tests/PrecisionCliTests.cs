using System.Text.Json;
using Visage.Tests;

namespace Visage.Cli.Tests;

/// <summary>
/// <c>--precision</c> (SSD and the recognition net, default int8) and its environment variable, on a real photo.
/// </summary>
public sealed class PrecisionCliTests
{
    // sample2.jpg: the photo whose face at x=361 the int8 SSD of QDQ v4 lost (0.445 against fp32's 0.757): its first
    // layer rounded the image to 8 bits (docs/BENCHMARKS.md, "int8 networks").
    private static readonly string Sample2 = Path.Combine(TestData.Samples, "sample2.jpg");

    private static JsonElement Embed(string[] options, Dictionary<string, string>? environment = null)
    {
        var result = VisageProcess.Run(["embed", Sample2, "--json", .. options], environment);
        Assert.True(result.ExitCode == 0, result.ToString());
        return result.Json;
    }

    private static List<JsonElement> Faces(JsonElement analysis) => [.. analysis.GetProperty("faces").EnumerateArray()];

    private static float[] Vector(JsonElement face) => [.. face.GetProperty("embedding").EnumerateArray().Select(v => v.GetSingle())];

    private static double Distance(float[] a, float[] b) => Math.Sqrt(a.Zip(b, (x, y) => (double)(x - y) * (x - y)).Sum());

    [Fact]
    public void The_default_int8_finds_fp32s_faces_and_describes_them_in_the_same_embedding_space()
    {
        var defaults = Embed([]);
        var fp32 = Embed(["--precision", "fp32"]);
        var fromEnvironment = Embed([], new() { ["VISAGE_PRECISION"] = "fp32" });

        // One model id: a gallery enrolled in fp32 recognizes int8 descriptors (Int8DescriptorTests).
        Assert.Equal(fp32.GetProperty("modelId").GetString(), defaults.GetProperty("modelId").GetString());
        Assert.DoesNotContain("int8", defaults.GetProperty("modelId").GetString());
        Assert.Equal(Faces(fp32).Select(f => f.GetProperty("score").GetDouble()), Faces(fromEnvironment).Select(f => f.GetProperty("score").GetDouble()));
        Assert.Equal(Faces(fp32).Select(f => Vector(f)), Faces(fromEnvironment).Select(f => Vector(f)));

        var expected = Faces(fp32);
        var actual = Faces(defaults);
        Assert.Equal(3, expected.Count);
        Assert.Equal(expected.Count, actual.Count);
        Assert.NotEqual(expected.Select(f => f.GetProperty("score").GetDouble()), actual.Select(f => f.GetProperty("score").GetDouble()));
        foreach (var face in expected)
        {
            // The same face, found by the other arithmetic: the box within a few pixels. The landmark net moves its
            // points by up to 16 px for a box 8 px wider, so the descriptors of these 150 px faces are 0.05-0.18
            // apart (two photos of one person: 0.3-0.45; the threshold: 0.6); the int8 recognition net adds up to 0.06.
            var box = face.GetProperty("box");
            var match = actual.MinBy(f => Math.Abs(f.GetProperty("box").GetProperty("x").GetDouble() - box.GetProperty("x").GetDouble()));
            foreach (var side in new[] { "x", "y", "width", "height" })
                Assert.InRange(match.GetProperty("box").GetProperty(side).GetDouble() - box.GetProperty(side).GetDouble(), -10, 10);
            Assert.InRange(match.GetProperty("score").GetDouble(), 0.6, 1);
            Assert.InRange(Distance(Vector(face), Vector(match)), 1e-4, 0.25);
        }
    }

    [Fact]
    public void An_unknown_precision_is_refused_by_name_from_the_option_and_the_environment()
    {
        const string variable = "VISAGE_PRECISION";
        var given = VisageProcess.Run("embed", Sample2, "--precision", "fp16");
        Assert.True(given.ExitCode == 2, given.ToString()); // bad usage (README, "Exit codes")
        Assert.Contains("fp16", given.Stderr);

        var environment = VisageProcess.Run(["embed", Sample2], new Dictionary<string, string> { [variable] = "mixed" });
        Assert.True(environment.ExitCode == 2, environment.ToString()); // not a default in silence
        Assert.Contains($"{variable}=mixed", environment.Stderr);
        Assert.Empty(environment.Stdout);
    }
}
