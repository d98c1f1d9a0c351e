using System.Runtime.ExceptionServices;
using Visage.Cli;
using Visage.Faces;
using Visage.Imaging;
using Visage.Pipeline;

namespace Visage.Commands;

/// <summary>Reading images named on the command line.</summary>
internal static class ImageFiles
{
    /// <summary>Extensions enrolment and evaluation pick up in folders.</summary>
    public static string[] Extensions => PhotoFolder.Extensions;

    /// <summary>Decodes a file; a missing file is a <see cref="FileNotFoundException"/> naming it.</summary>
    public static RgbImage Load(ImageDecoder decoder, string path) => LoadWithHash(decoder, path).Image;

    /// <summary>Decodes a file and hashes its bytes (SHA-256, lower-case hex: the gallery's image key).</summary>
    public static (RgbImage Image, string Sha256) LoadWithHash(ImageDecoder decoder, string path) => Unwrap(DecodeAhead.Decode(path, decoder));

    /// <summary>
    /// The image and hash of a file decoded (ahead, perhaps), or its failure thrown as a one-line error naming the file.
    /// </summary>
    public static (RgbImage Image, string Sha256) Unwrap(DecodedFile file)
    {
        if (file is { Image: { } image, Sha256: { } sha }) return (image, sha);
        switch (file.Error)
        {
            case FileNotFoundException or DirectoryNotFoundException:
            case UnauthorizedAccessException when Directory.Exists(file.Path): // a folder where a photo was expected
                throw new FileNotFoundException($"file not found: {file.Path}", file.Path);
            case ImageDecodeException e:
                throw new ImageDecodeException(e.Error, $"{file.Path}: {e.Message}");
            case { } other:
                ExceptionDispatchInfo.Throw(other);
                break;
        }
        throw new InvalidOperationException($"{file.Path}: neither an image nor an error");
    }

    /// <summary>The image files directly in a folder, sorted by name (ordinal).</summary>
    public static IReadOnlyList<string> InFolder(string folder) =>
        Directory.EnumerateFiles(folder)
            .Where(f => Extensions.Contains(Path.GetExtension(f).ToLowerInvariant()))
            .Order(StringComparer.Ordinal)
            .ToList();

    /// <summary>
    /// The one face a command needs from a photo: none is an error; several plausible subjects (a group photo) is an
    /// error unless <paramref name="largest"/> picks the largest. Part of a bystander at a portrait's edge is ignored.
    /// </summary>
    /// <exception cref="CliException">No face, or several without <paramref name="largest"/>.</exception>
    public static Face Subject(SubjectAnalysis analysis, string path, bool largest)
    {
        if (analysis.Face is null) throw new CliException(ExitCodes.NoFace, $"{path}: no face found");
        if (analysis.Ambiguous && !largest)
            throw new CliException(ExitCodes.SeveralFaces, $"{path}: {analysis.FacesFound} faces found; pass --largest to use the largest");
        return analysis.Face;
    }
}
