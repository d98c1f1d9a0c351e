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

    /// <summary>The largest difference between two builds' descriptors of the same faces.</summary>
    public static float MaxDifference(float[][] a, float[][] b)
    {
        Assert.Equal(a.Length, b.Length);
        Assert.NotEmpty(a);
        return a.Zip(b).Max(p => p.First.Zip(p.Second).Max(v => Math.Abs(v.First - v.Second)));
    }
}
