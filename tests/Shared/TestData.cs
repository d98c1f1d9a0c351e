using System.Text.Json;

namespace Visage.Tests;

/// <summary>Paths to the shared photos and face-api.js reference outputs (<c>../shared/</c> next to the repository).</summary>
public static class TestData
{
    /// <summary>The repository root (the folder holding Visage.slnx).</summary>
    public static string RepoRoot { get; } = FindRoot();

    /// <summary>The shared data folder.</summary>
    public static string Shared => Path.GetFullPath(Path.Combine(RepoRoot, "..", "shared"));

    public static string Faces => Path.Combine(Shared, "data", "faces");
    public static string Samples => Path.Combine(Shared, "data", "samples");
    public static string Groups => Path.Combine(Shared, "data", "groups");
    public static string NonFaces => Path.Combine(Shared, "data", "nonfaces");
    public static string Reference => Path.Combine(Shared, "reference");

    /// <summary>Parses a reference JSON file (cached per file).</summary>
    public static JsonElement ReferenceJson(string file) => Cache.GetOrAdd(file, f => JsonDocument.Parse(File.ReadAllBytes(Path.Combine(Reference, f))).RootElement);

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, JsonElement> Cache = new();

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Visage.slnx"))) return dir.FullName;
        throw new InvalidOperationException("repository root (Visage.slnx) not found above " + AppContext.BaseDirectory);
    }
}
