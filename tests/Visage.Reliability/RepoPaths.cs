namespace Visage.Reliability;

/// <summary>The repository and the shared photos beside it.</summary>
public static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    public static string Faces => Path.GetFullPath(Path.Combine(Root, "..", "shared", "data", "faces"));

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Visage.slnx"))) return dir.FullName;
        throw new InvalidOperationException("repository root (Visage.slnx) not found above " + AppContext.BaseDirectory);
    }
}

/// <summary>One photo of a person from <c>../shared/data/faces/PERSON/</c>.</summary>
public sealed record Photo(string Person, string Path, byte[] Bytes)
{
    /// <summary>Every photo, person by person, in file name order.</summary>
    public static IReadOnlyList<Photo> All() => Directory.GetDirectories(RepoPaths.Faces).Order(StringComparer.Ordinal)
        .SelectMany(d => Directory.GetFiles(d, "*.jpg").Order(StringComparer.Ordinal)
            .Select(f => new Photo(System.IO.Path.GetFileName(d), f, File.ReadAllBytes(f))))
        .ToList();
}
