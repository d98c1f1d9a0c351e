namespace Visage.Cli;

/// <summary>
/// The folder that holds the model cache and the default gallery (<c>VISAGE_HOME</c>; <c>/data</c> in the container):
/// checked before the service starts, so a volume that is missing, read-only or owned by another user is one clear
/// line at start rather than a failure deep inside the first model download or gallery write.
/// </summary>
public static class DataFolder
{
    /// <summary>Creates the folder when missing and proves it writable by writing and deleting a file in it.</summary>
    /// <exception cref="CliException">The folder cannot be created or written (exit code <see cref="ExitCodes.DataFolderUnusable"/>).</exception>
    public static void EnsureWritable(string path)
    {
        var probe = Path.Combine(path, $".visage-write-test-{Environment.ProcessId}");
        try
        {
            Directory.CreateDirectory(path);
            File.WriteAllBytes(probe, []);
            File.Delete(probe);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            var user = Environment.UserName;
            throw new CliException(ExitCodes.DataFolderUnusable,
                $"the data folder {path} (VISAGE_HOME) cannot be written by user {user}: {Reason(e)}; " +
                "mount a writable volume there (podman run -v visage-data:/data ...) or set VISAGE_HOME to a folder that user owns");
        }
    }

    // The runtime's messages name the probe file; the user needs the cause.
    private static string Reason(Exception e) => e switch
    {
        UnauthorizedAccessException => "permission denied",
        DirectoryNotFoundException or FileNotFoundException => "it does not exist and cannot be created",
        _ when e.Message.Contains("Read-only", StringComparison.OrdinalIgnoreCase) => "the file system is read-only",
        _ => e.Message,
    };
}
