namespace Visage.Models;

/// <summary>
/// Cached model files written atomically with their SHA-256 beside them (<c>FILE.sha256</c>), and read back only when
/// the hash still matches: a file cut short by a crash or altered on disk is made again, never run.
/// </summary>
internal static class ModelFiles
{
    /// <summary>The file's bytes when its hash file exists and matches; otherwise null.</summary>
    public static byte[]? TryReadVerified(string path)
    {
        if (!File.Exists(path) || !File.Exists(path + ".sha256")) return null;
        var bytes = File.ReadAllBytes(path);
        return Hashing.Sha256(bytes) == File.ReadAllText(path + ".sha256").Trim() ? bytes : null;
    }

    /// <summary>The hash recorded beside a cached file (no read of the file itself), or null.</summary>
    public static string? RecordedHash(string path) =>
        File.Exists(path + ".sha256") ? File.ReadAllText(path + ".sha256").Trim() : null;

    /// <summary>Writes <paramref name="bytes"/> to <paramref name="path"/> through a temporary file, then its hash.</summary>
    public static void Write(string path, byte[] bytes)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temporary = $"{path}.{Environment.ProcessId}.tmp";
        File.WriteAllBytes(temporary, bytes);
        CommitWithHash(temporary, path);
    }

    /// <summary>Moves a complete temporary file into place, then writes its hash (the hash last: it marks the file good).</summary>
    public static void CommitWithHash(string temporary, string path)
    {
        var hash = Hashing.Sha256File(temporary);
        File.Move(temporary, path, overwrite: true);
        File.WriteAllText(path + ".sha256.tmp" + Environment.ProcessId, hash);
        File.Move(path + ".sha256.tmp" + Environment.ProcessId, path + ".sha256", overwrite: true);
    }
}
