namespace Visage.Install.Tests;

/// <summary>Runs <c>visage embed --json</c> and reads the descriptors it printed, to compare two builds' arithmetic.</summary>
public static class Descriptors
{
    /// <summary>The tiny detector: one pass of a small net, which keeps an emulated run short.</summary>
    public static readonly string[] FastPipeline = ["--detector", "tiny", "--no-tiles"];

    /// <summary>The descriptor of every face of <paramref name="photo"/>, as printed by the build run through <paramref name="launcher"/>.</summary>
    public static float[][] Embed(string[] launcher, string photo, IDictionary<string, string?> env)
    {
        var result = Emulator.Run(launcher, ["embed", photo, "--json", .. FastPipeline], env, TimeSpan.FromMinutes(10));
        Assert.True(result.ExitCode == 0, result.ToString());
        return [.. JsonDocument.Parse(result.Stdout).RootElement.GetProperty("faces").EnumerateArray()
            .Select(f => f.GetProperty("embedding").EnumerateArray().Select(v => v.GetSingle()).ToArray())];
    }

    /// <summary>
    /// Box (x, y, width, height) and score of every face <c>visage detect --json</c> finds with the default pipeline,
    /// whose SSD is an int8 network: integer sums, exact on every CPU, between float layers.
    /// </summary>
    public static float[][] Int8Detections(string[] launcher, string photo, IDictionary<string, string?> env)
    {
        var result = Emulator.Run(launcher, ["detect", photo, "--json", "--precision", "int8"], env, TimeSpan.FromMinutes(10));
        Assert.True(result.ExitCode == 0, result.ToString());
        return [.. JsonDocument.Parse(result.Stdout).RootElement.GetProperty("faces").EnumerateArray().Select(f =>
        {
            var box = f.GetProperty("box");
            return new[] { "x", "y", "width", "height" }.Select(side => box.GetProperty(side).GetSingle()).Append(f.GetProperty("score").GetSingle()).ToArray();
        })];
    }

    /// <summary>
    /// Checks two builds' int8 detections are the same faces: boxes within a pixel and scores within 0.005 (a float
    /// layer's sums in another order can move an 8-bit activation by one step).
    /// </summary>
    public static void AssertSameDetections(float[][] native, float[][] emulated)
    {
        Assert.Equal(native.Length, emulated.Length);
        Assert.NotEmpty(native);
        foreach (var (a, b) in native.Zip(emulated))
        {
            for (var i = 0; i < 4; i++) Assert.InRange(b[i] - a[i], -1f, 1f);
            Assert.InRange(b[4] - a[4], -0.005f, 0.005f);
        }
    }

    /// <summary>The largest difference between two builds' descriptors of the same faces.</summary>
    public static float MaxDifference(float[][] a, float[][] b)
    {
        Assert.Equal(a.Length, b.Length);
        Assert.NotEmpty(a);
        return a.Zip(b).Max(p => p.First.Zip(p.Second).Max(v => Math.Abs(v.First - v.Second)));
    }
}
