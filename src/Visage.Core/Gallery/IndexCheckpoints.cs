using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Visage.Gallery.Search;
using Visage.Gallery.Storage;

namespace Visage.Gallery;

/// <summary>
/// Where a gallery's compressed index lives and how a saved one is told to belong to the store: its stamp names the
/// change of the store's log it reflects (number, kind, person and face), which the store must still hold as it was,
/// and after replaying the log from there the index must count the store's faces and hold, for a sample of them, the
/// very vectors the store holds. A stamp that fails any of this means another or a restored database: rebuild.
/// </summary>
internal static class IndexCheckpoints
{
    // Faces compared with the store after a saved index is taken up: a wrong file shows in any of them.
    private const int SampledFaces = 16;

    /// <summary>The default directory of a gallery's compressed index: beside a SQLite file, else under the Visage cache.</summary>
    public static string DirectoryFor(string location) => GalleryStores.IsPostgres(location)
        ? Path.Combine(VisageHome.Directory, "index", Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(location)))[..16])
        : location + ".index";

    /// <summary>The stamp of change <paramref name="seq"/> of the store's log (read from the store; "0" for an empty log).</summary>
    public static string Stamp(IGalleryStore store, string modelId, long seq)
    {
        if (seq == 0) return "0";
        var change = store.ReadChanges(modelId, seq - 1, 1).FirstOrDefault(c => c.Seq == seq)
            ?? throw new InvalidOperationException($"the store's log has no change {seq}");
        return string.Create(CultureInfo.InvariantCulture, $"{change.Seq} {change.Kind} {change.PersonId} {change.FaceId}");
    }

    /// <summary>The change number a stamp names, when the store's log still holds that change as the stamp describes it; else null.</summary>
    public static long? Check(IGalleryStore store, string modelId, string stamp)
    {
        var seq = long.TryParse(stamp.Split(' ')[0], NumberStyles.None, CultureInfo.InvariantCulture, out var s) ? s : -1;
        if (seq < 0 || seq > store.LatestChange()) return null;
        try { return Stamp(store, modelId, seq) == stamp ? seq : null; }
        catch (InvalidOperationException) { return null; }
    }

    /// <summary>True when the index counts the store's faces of its model and holds the store's vectors for a sample of them.</summary>
    public static bool Agrees(IGalleryStore store, GalleryIndex index)
    {
        if (store.Count(index.ModelId).Faces != index.Count) return false;
        foreach (var faceId in index.SampleFaceIds(SampledFaces))
        {
            if (store.GetFace(faceId) is not { } stored || stored.Embedding.ModelId != index.ModelId) return false;
            if (index.VectorOf(faceId) is not { } held || !held.AsSpan().SequenceEqual(stored.Embedding.Vector)) return false;
            if (index.PersonOf(faceId) != stored.PersonId) return false;
        }
        return true;
    }
}
