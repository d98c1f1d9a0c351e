using System.Text.Json;

namespace Visage.Evaluation;

/// <summary>
/// Subject faces of photos per image hash, one JSON-lines file per pipeline in the cache directory, so that a
/// re-run of <c>visage eval</c> decodes and detects nothing it has seen. Lines are appended as photos are done
/// (an interrupted run keeps its work); a torn last line is skipped on load. Thread-safe.
/// </summary>
public sealed class EmbeddingCache
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly Dictionary<string, CachedFace> _entries = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    /// <summary>Opens (or starts) the cache file of one pipeline.</summary>
    /// <param name="directory">Folder of the cache files (created when missing).</param>
    /// <param name="pipelineKey">Identifies the pipeline (see <see cref="EvalVariant.PipelineKey"/>).</param>
    public EmbeddingCache(string directory, string pipelineKey)
    {
        Directory.CreateDirectory(directory);
        FilePath = Path.Combine(directory, pipelineKey + ".jsonl");
        if (!File.Exists(FilePath)) return;
        foreach (var line in File.ReadLines(FilePath))
        {
            try
            {
                if (JsonSerializer.Deserialize<Line>(line, Json) is { Hash: { } h, Face: { } f }) _entries[h] = f;
            }
            catch (JsonException)
            {
                // A line torn by an interrupted run: the photo is simply done again.
            }
        }
        EndTornLine();
    }

    /// <summary>The default folder: <c>eval-cache</c> in <see cref="VisageHome.Directory"/>.</summary>
    public static string DefaultDirectory => Path.Combine(VisageHome.Directory, "eval-cache");

    /// <summary>The file behind this cache.</summary>
    public string FilePath { get; }

    /// <summary>Entries loaded or added.</summary>
    public int Count { get { lock (_lock) return _entries.Count; } }

    /// <summary>The entry of an image hash, if present.</summary>
    public bool TryGet(string imageHash, out CachedFace face)
    {
        lock (_lock) return _entries.TryGetValue(imageHash, out face!);
    }

    /// <summary>Adds an entry and appends it to the file.</summary>
    public void Add(string imageHash, CachedFace face)
    {
        var line = System.Text.Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new Line(imageHash, face), Json) + "\n");
        lock (_lock)
        {
            _entries[imageHash] = face;
            // One unbuffered write per line: another process appending to the same file cannot split it.
            using var file = new FileStream(FilePath, FileMode.Append, FileAccess.Write, FileShare.ReadWrite, bufferSize: 0);
            file.Write(line);
        }
    }

    /// <summary>Ends a torn last line, so the next entry starts on a line of its own.</summary>
    private void EndTornLine()
    {
        using var file = new FileStream(FilePath, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite);
        if (file.Length == 0) return;
        file.Seek(-1, SeekOrigin.End);
        if (file.ReadByte() != '\n') file.WriteByte((byte)'\n');
    }

    private sealed record Line(string? Hash, CachedFace? Face);
}
