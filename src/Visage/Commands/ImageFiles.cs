using Visage.Imaging;

namespace Visage.Commands;

/// <summary>Reading images named on the command line.</summary>
internal static class ImageFiles
{
    /// <summary>Extensions enrolment and evaluation pick up in folders.</summary>
    public static string[] Extensions => PhotoFolder.Extensions;

    /// <summary>Decodes a file; a missing file is a <see cref="FileNotFoundException"/> naming it.</summary>
    public static RgbImage Load(ImageDecoder decoder, string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"file not found: {path}", path);
        return decoder.DecodeFile(path);
    }

    /// <summary>The image files directly in a folder, sorted by name (ordinal).</summary>
    public static IReadOnlyList<string> InFolder(string folder) =>
        Directory.EnumerateFiles(folder)
            .Where(f => Extensions.Contains(Path.GetExtension(f).ToLowerInvariant()))
            .Order(StringComparer.Ordinal)
            .ToList();
}
