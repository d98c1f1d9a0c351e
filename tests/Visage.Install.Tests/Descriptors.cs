namespace Visage.Install.Tests;

/// <summary>Runs <c>visage embed --json</c> and reads the descriptors it printed, to compare two builds' arithmetic.</summary>
public static class Descriptors
{
    /// <summary>The tiny detector: one pass of a small net, which keeps an emulated run short.</summary>
    public static readonly string[] FastPipeline = ["--detector", "tiny", "--no-tiles"];

    /// <summary>
    /// The fp32 descriptor of every face of <paramref name="photo"/>, as printed by the build run through
    /// <paramref name="launcher"/>: float arithmetic, the same on every CPU but for the order of its sums.
    /// </summary>
    public static float[][] Embed(string[] launcher, string photo, IDictionary<string, string?> env) =>
        [.. EmbedJson(launcher, photo, env, ["--precision", "fp32", .. FastPipeline]).Select(Vector)];

    /// <summary>
    /// Box (x, y, width, height), score and descriptor of every face <c>visage embed --json --precision int8</c> finds
    /// with the given pipeline options (none: the default SSD): the recognition net, and SSD where it runs, are int8
    /// networks, integer sums (exact on every CPU) between float layers.
    /// </summary>
    public static (float[] Box, float[] Descriptor)[] Int8Faces(string[] launcher, string photo, IDictionary<string, string?> env, params string[] pipeline) =>
        [.. EmbedJson(launcher, photo, env, ["--precision", "int8", .. pipeline]).Select(f =>
        {
            var box = f.GetProperty("box");
            return (new[] { "x", "y", "width", "height" }.Select(side => box.GetProperty(side).GetSingle()).Append(f.GetProperty("score").GetSingle()).ToArray(), Vector(f));
        })];

    private static JsonElement[] EmbedJson(string[] launcher, string photo, IDictionary<string, string?> env, string[] options)
    {
        var result = Emulator.Run(launcher, ["embed", photo, "--json", .. options], env, TimeSpan.FromMinutes(10));
        Assert.True(result.ExitCode == 0, result.ToString());
        return [.. JsonDocument.Parse(result.Stdout).RootElement.GetProperty("faces").EnumerateArray()];
    }

    private static float[] Vector(JsonElement face) => [.. face.GetProperty("embedding").EnumerateArray().Select(v => v.GetSingle())];

    /// <summary>
    /// Checks two builds' int8 faces are the same: boxes within a pixel, scores within 0.005, descriptors within 0.06
    /// (Int8DescriptorTests' tolerance between int8 and fp32, a tenth of the match threshold). A float layer's sums in
    /// another order, or another kernel's rounding when it requantizes, move an 8-bit activation by one step, and the
    /// 29 layers of the recognition net add these up: arm64's NEON kernels (no dot product) against VNNI's, 0.038.
    /// </summary>
    public static void AssertSameInt8Faces((float[] Box, float[] Descriptor)[] native, (float[] Box, float[] Descriptor)[] emulated, Action<string> log)
    {
        Assert.Equal(native.Length, emulated.Length);
        Assert.NotEmpty(native);
        foreach (var (a, b) in native.Zip(emulated))
        {
            for (var i = 0; i < 4; i++) Assert.InRange(b.Box[i] - a.Box[i], -1f, 1f);
            Assert.InRange(b.Box[4] - a.Box[4], -0.005f, 0.005f);
            var distance = Math.Sqrt(a.Descriptor.Zip(b.Descriptor, (x, y) => (double)(x - y) * (x - y)).Sum());
            log($"int8 descriptors: {distance:E2} apart");
            Assert.InRange(distance, 0, 0.06);
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
