namespace Visage.Cli;

/// <summary>
/// Process exit codes: 0 on success, a distinct code per kind of failure so scripts can tell them apart.
/// Documented in the README.
/// </summary>
public static class ExitCodes
{
    public const int Ok = 0;
    public const int Failure = 1;
    public const int Usage = 2;
    public const int FileNotFound = 3;
    public const int NotAnImage = 4;
    public const int TruncatedImage = 5;
    public const int EmptyImage = 6;
    public const int ImageTooLarge = 7;
    public const int CorruptImage = 8;
    public const int NoFace = 9;
    public const int SeveralFaces = 10;
    public const int ModelsUnavailable = 11;
    public const int DatabaseCorrupt = 12;
    public const int DatabaseUnavailable = 13;
    public const int PersonNotFound = 14;
    public const int DuplicatePerson = 15;
    public const int VideoUnreadable = 16;
    public const int FfmpegMissing = 17;
    public const int PoorFaceQuality = 18;
}

/// <summary>A failure a command reports with its own exit code and a one-line message.</summary>
public sealed class CliException(int exitCode, string message) : Exception(message)
{
    /// <summary>The process exit code.</summary>
    public int ExitCode { get; } = exitCode;
}
