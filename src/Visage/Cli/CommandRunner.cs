using Visage.Gallery.Storage;
using Visage.Gallery;
using Visage.Imaging;
using Visage.Models;
using Visage.Video.Sources;

namespace Visage.Cli;

/// <summary>Runs a command body and turns every expected failure into one line on stderr and its exit code.</summary>
public static class CommandRunner
{
    /// <summary>
    /// Runs <paramref name="body"/>; returns its exit code or the code of the failure it raised. Gallery writes it makes
    /// are audited as the CLI's (<see cref="AuditActor.Cli"/>).
    /// </summary>
    public static int Run(Func<int> body)
    {
        try
        {
            using var actor = AuditActor.Begin(AuditActor.Cli());
            return body();
        }
        catch (Exception e) when (Classify(e) is { } failure)
        {
            Console.Error.WriteLine($"visage: error: {failure.Message}");
            return failure.Code;
        }
    }

    /// <summary>The exit code and message for an exception, or null for an unexpected one (a bug: let it surface).</summary>
    public static (int Code, string Message)? Classify(Exception e) => e switch
    {
        CliException c => (c.ExitCode, c.Message),
        FileNotFoundException f => (ExitCodes.FileNotFound, $"file not found: {f.FileName ?? f.Message}"),
        DirectoryNotFoundException d => (ExitCodes.FileNotFound, d.Message),
        ImageDecodeException i => (i.Error switch
        {
            ImageError.Empty => ExitCodes.EmptyImage,
            ImageError.NotAnImage => ExitCodes.NotAnImage,
            ImageError.Truncated => ExitCodes.TruncatedImage,
            ImageError.TooLarge => ExitCodes.ImageTooLarge,
            _ => ExitCodes.CorruptImage,
        }, i.Message),
        ModelUnavailableException m => (ExitCodes.ModelsUnavailable, m.Message),
        ArgumentOutOfRangeException a => (ExitCodes.Usage, a.Message.Split('\n')[0]),
        GalleryCorruptException g => (ExitCodes.DatabaseCorrupt, g.Message),
        GalleryUnavailableException g => (ExitCodes.DatabaseUnavailable, g.Message),
        PersonNotFoundException p => (ExitCodes.PersonNotFound, p.Message),
        GalleryNotEmptyException g => (ExitCodes.Failure, g.Message),
        DuplicatePersonException d => (ExitCodes.DuplicatePerson, d.Message),
        VideoSourceException v => (v.Error switch
        {
            VideoSourceError.NotFound => ExitCodes.FileNotFound,
            VideoSourceError.FfmpegMissing => ExitCodes.FfmpegMissing,
            _ => ExitCodes.VideoUnreadable,
        }, v.Message),
        Enrollment.FaceQualityException q => (ExitCodes.PoorFaceQuality, $"{q.Report.Problem} (enroll it anyway with --force)"),
        _ => null,
    };
}
