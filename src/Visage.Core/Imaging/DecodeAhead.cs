using System.Security.Cryptography;

namespace Visage.Imaging;

/// <summary>One file read and decoded ahead of its use: its bytes' SHA-256 and the image, or why it failed.</summary>
/// <param name="Path">The file.</param>
/// <param name="Sha256">SHA-256 of the file's bytes, lower-case hex (null when the file could not be read).</param>
/// <param name="Image">The decoded image, or null on failure.</param>
/// <param name="Error">What went wrong (a missing file, <see cref="ImageDecodeException"/>, ...), or null.</param>
public sealed record DecodedFile(string Path, string? Sha256, RgbImage? Image, Exception? Error);

/// <summary>
/// Reads, hashes and decodes files on the thread pool a few files ahead of the caller, so that decoding the next
/// photos overlaps the networks' work on the current one (bulk enrollment, evaluation). Results come back in input
/// order; a failure is returned, not thrown, so one bad file does not stop a folder.
/// </summary>
public static class DecodeAhead
{
    /// <summary>Decodes <paramref name="paths"/> in order, at most <paramref name="depth"/> files ahead of the enumeration.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="depth"/> is below 1.</exception>
    public static IEnumerable<DecodedFile> Files(IReadOnlyList<string> paths, ImageDecoder decoder, int depth = 4)
    {
        ArgumentNullException.ThrowIfNull(paths);
        ArgumentNullException.ThrowIfNull(decoder);
        ArgumentOutOfRangeException.ThrowIfLessThan(depth, 1);
        return Enumerate(paths, decoder, depth);
    }

    /// <summary>Reads, hashes and decodes one file on the calling thread.</summary>
    public static DecodedFile Decode(string path, ImageDecoder decoder)
    {
        string? sha = null;
        try
        {
            var bytes = File.ReadAllBytes(path);
            sha = Convert.ToHexStringLower(SHA256.HashData(bytes));
            return new DecodedFile(path, sha, decoder.Decode(bytes), null);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ImageDecodeException)
        {
            return new DecodedFile(path, sha, null, e);
        }
    }

    private static IEnumerable<DecodedFile> Enumerate(IReadOnlyList<string> paths, ImageDecoder decoder, int depth)
    {
        var pending = new Queue<Task<DecodedFile>>(depth);
        var next = 0;
        try
        {
            while (next < paths.Count && pending.Count < depth) pending.Enqueue(Start(paths[next++], decoder));
            while (pending.Count > 0)
            {
                var done = pending.Dequeue().GetAwaiter().GetResult();
                if (next < paths.Count) pending.Enqueue(Start(paths[next++], decoder));
                yield return done;
            }
        }
        finally
        {
            // An abandoned enumeration lets the files already started finish; nothing holds their images.
            pending.Clear();
        }
    }

    private static Task<DecodedFile> Start(string path, ImageDecoder decoder) => Task.Run(() => Decode(path, decoder));
}
