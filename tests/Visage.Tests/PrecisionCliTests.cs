using System.Text.Json;
using Visage.Tests;

namespace Visage.Cli.Tests;

/// <summary>
/// <c>--precision</c> and <c>VISAGE_PRECISION</c> on a real photo: <c>mixed</c> runs the detectors in fp32 and the
/// embedder in int8, so it finds exactly fp32's faces and writes int8 descriptors under the int8 model id.
/// </summary>
public sealed class PrecisionCliTests
{
    // sample2.jpg: the photo whose face at x=361 int8 SSD scores 0.445 against fp32's 0.757 (docs/BENCHMARKS.md).
    private static readonly string Sample2 = Path.Combine(TestData.Samples, "sample2.jpg");

    private static JsonElement Embed(string precision, bool fromEnvironment = false)
    {
        var result = fromEnvironment
            ? VisageProcess.Run(["embed", Sample2, "--json"], new Dictionary<string, string> { ["VISAGE_PRECISION"] = precision })
            : VisageProcess.Run("embed", Sample2, "--json", "--precision", precision);
        Assert.True(result.ExitCode == 0, result.ToString());
        return result.Json;
    }

    private static float[] Vector(JsonElement face) => [.. face.GetProperty("embedding").EnumerateArray().Select(v => v.GetSingle())];

    [Fact]
    public void Mixed_finds_fp32s_faces_and_describes_them_with_the_int8_embedder()
    {
        var fp32 = Embed("fp32");
        var mixed = Embed("mixed");
        var fromEnvironment = Embed("mixed", fromEnvironment: true);

        var modelId = fp32.GetProperty("modelId").GetString()!;
        Assert.Equal(modelId.Replace("@1.7.15/", "@1.7.15+int8/"), mixed.GetProperty("modelId").GetString());
        Assert.Equal(mixed.GetProperty("modelId").GetString(), fromEnvironment.GetProperty("modelId").GetString());

        var expected = fp32.GetProperty("faces").EnumerateArray().ToList();
        var actual = mixed.GetProperty("faces").EnumerateArray().ToList();
        Assert.Equal(3, expected.Count);
        Assert.Equal(expected.Count, actual.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            // The same detector arithmetic: the same boxes and scores to the last printed digit.
            Assert.Equal(expected[i].GetProperty("box").GetRawText(), actual[i].GetProperty("box").GetRawText());
            Assert.Equal(expected[i].GetProperty("score").GetDouble(), actual[i].GetProperty("score").GetDouble());
            // Another embedder arithmetic: close to fp32 (Int8DescriptorTests' tolerance), not equal.
            var (a, b) = (Vector(expected[i]), Vector(actual[i]));
            var distance = Math.Sqrt(a.Zip(b, (x, y) => (double)(x - y) * (x - y)).Sum());
            Assert.InRange(distance, 1e-4, 0.06);
        }
    }

    [Fact]
    public void An_unknown_precision_is_refused_by_name_from_the_option_and_the_environment()
    {
        var option = VisageProcess.Run("embed", Sample2, "--precision", "fp16");
        Assert.True(option.ExitCode == 2, option.ToString()); // bad usage (README, "Exit codes")
        Assert.Contains("fp16", option.Stderr);

        var environment = VisageProcess.Run(["embed", Sample2], new Dictionary<string, string> { ["VISAGE_PRECISION"] = "fp16" });
        Assert.True(environment.ExitCode == 2, environment.ToString()); // not fp32 in silence
        Assert.Contains("VISAGE_PRECISION=fp16", environment.Stderr);
        Assert.Empty(environment.Stdout);
    }
}
