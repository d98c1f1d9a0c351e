namespace Visage.Imaging;

/// <summary>Finding photos in folders, in a stable (ordinal) order.</summary>
public static class PhotoFolder
{
    /// <summary>File extensions taken as photos (lower case).</summary>
    public static readonly string[] Extensions = [".jpg", ".jpeg", ".png", ".webp", ".bmp", ".gif"];

    /// <summary>Whether a file name has a photo extension.</summary>
    public static bool IsPhoto(string path) => Extensions.Contains(Path.GetExtension(path).ToLowerInvariant());

    /// <summary>The photos in a folder and, with <paramref name="recursive"/>, its subfolders, by path (ordinal).</summary>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    public static IReadOnlyList<string> Photos(string folder, bool recursive = false)
    {
        if (!Directory.Exists(folder)) throw new DirectoryNotFoundException($"folder not found: {folder}");
        return Directory.EnumerateFiles(folder, "*", recursive ? SearchOption.AllDirectories : SearchOption.TopDirectoryOnly)
            .Where(IsPhoto).Order(StringComparer.Ordinal).ToList();
    }

    /// <summary>
    /// A folder of people: each subfolder is named after a person and holds their photos (directly). Subfolders are
    /// taken in name order (ordinal); empty ones are left out.
    /// </summary>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    public static IReadOnlyList<LabeledPhoto> People(string folder)
    {
        if (!Directory.Exists(folder)) throw new DirectoryNotFoundException($"folder not found: {folder}");
        var photos = new List<LabeledPhoto>();
        foreach (var person in Directory.EnumerateDirectories(folder).Order(StringComparer.Ordinal))
            foreach (var photo in Photos(person))
                photos.Add(new LabeledPhoto(Path.GetFileName(person), photo));
        return photos;
    }
}

/// <summary>A photo and the person its folder names.</summary>
/// <param name="Person">The person's name (the folder's).</param>
/// <param name="Path">The photo file.</param>
public sealed record LabeledPhoto(string Person, string Path);
