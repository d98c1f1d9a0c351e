namespace Visage.Fuzz;

/// <summary>The real photos the mutations start from: ../shared/data next to the repository.</summary>
internal static class SeedPhotos
{
    public static IReadOnlyList<byte[]> Load()
    {
        var data = Path.Combine(RepoRoot(), "..", "shared", "data");
        return new[] { "samples", "groups", "nonfaces" }
            .SelectMany(d => Directory.GetFiles(Path.Combine(data, d)))
            .Where(f => f.EndsWith(".jpg") || f.EndsWith(".png"))
            .Concat(Directory.GetDirectories(Path.Combine(data, "faces")).Select(d => Directory.GetFiles(d, "*.jpg").Order().First()))
            .Order(StringComparer.Ordinal)
            .Select(File.ReadAllBytes)
            .ToList();
    }

    public static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Visage.slnx"))) return dir.FullName;
        throw new InvalidOperationException("Visage.slnx not found");
    }
}
