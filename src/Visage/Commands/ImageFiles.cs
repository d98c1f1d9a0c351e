using System.Security.Cryptography;
using Visage.Cli;
using Visage.Faces;
using Visage.Imaging;

namespace Visage.Commands;

/// <summary>Reading images named on the command line.</summary>
internal static class ImageFiles
{
    /// <summary>Extensions enrolment and evaluation pick up in folders.</summary>
    public static string[] Extensions => PhotoFolder.Extensions;

    /// <summary>Decodes a file; a missing file is a <see cref="FileNotFoundException"/> naming it.</summary>
    public static RgbImage Load(ImageDecoder decoder, string path) => LoadWithHash(decoder, path).Image;

    /// <summary>Decodes a file and hashes its bytes (SHA-256, lower-case hex: the gallery's image key).</summary>
    public static (RgbImage Image, string Sha256) LoadWithHash(ImageDecoder decoder, string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"file not found: {path}", path);
        var bytes = File.ReadAllBytes(path);
        try
        {
            return (decoder.Decode(bytes), Convert.ToHexStringLower(SHA256.HashData(bytes)));
        }
        catch (ImageDecodeException e)
        {
            throw new ImageDecodeException(e.Error, $"{path}: {e.Message}"); // name the file in the one-line error
        }
    }

    /// <summary>The image files directly in a folder, sorted by name (ordinal).</summary>
    public static IReadOnlyList<string> InFolder(string folder) =>
        Directory.EnumerateFiles(folder)
            .Where(f => Extensions.Contains(Path.GetExtension(f).ToLowerInvariant()))
            .Order(StringComparer.Ordinal)
            .ToList();

    /// <summary>
    /// The one face a command needs from a photo: none is an error, several is an error unless
    /// <paramref name="largest"/> picks the largest box.
    /// </summary>
    /// <exception cref="CliException">No face, or several without <paramref name="largest"/>.</exception>
    public static Face SingleFace(IReadOnlyList<Face> faces, string path, bool largest)
    {
        if (faces.Count == 0) throw new CliException(ExitCodes.NoFace, $"{path}: no face found");
        if (faces.Count > 1 && !largest)
            throw new CliException(ExitCodes.SeveralFaces, $"{path}: {faces.Count} faces found; pass --largest to use the largest");
        return faces.MaxBy(f => f.Box.Area)!;
    }
}
