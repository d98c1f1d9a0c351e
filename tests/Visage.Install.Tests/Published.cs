namespace Visage.Install.Tests;

/// <summary>
/// The self-contained builds under test, made once per run by the project's own script exactly as a release is
/// (<c>scripts/publish.sh RID --with-models</c>): dist/linux-x64 and dist/linux-arm64, with their archives.
/// </summary>
public sealed class Published
{
    public Published()
    {
        ChildProcess.Script("qemu.sh");
        foreach (var rid in new[] { X64, Arm64 }) ChildProcess.Script("publish.sh", rid, "--with-models");
    }

    public const string X64 = "linux-x64", Arm64 = "linux-arm64";

    public static string Dist => Path.Combine(TestData.RepoRoot, "dist");

    /// <summary>The folder of one build: the executable <c>visage</c>, its native libraries, the web page and models/.</summary>
    public static string Folder(string rid) => Path.Combine(Dist, rid);

    public static string Executable(string rid) => Path.Combine(Folder(rid), "visage");

    /// <summary>A small photo of one face, the same for every build compared here (250x250: emulation is slow).</summary>
    public static string Photo => Path.Combine(TestData.Faces, "Edward_Lu", "Edward_Lu_0002.jpg");
}

/// <summary>Every class that runs the published builds shares one publish (and runs one after another: two cores).</summary>
[CollectionDefinition(Name)]
public sealed class PublishedCollection : ICollectionFixture<Published>
{
    public const string Name = "published";
}
