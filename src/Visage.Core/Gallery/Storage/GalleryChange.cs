namespace Visage.Gallery.Storage;

/// <summary>What a change did to the faces an index holds.</summary>
public enum GalleryChangeKind
{
    /// <summary>A face was enrolled.</summary>
    Add,

    /// <summary>A face was deleted (alone, or with its person).</summary>
    Remove,

    /// <summary>A person was renamed.</summary>
    Rename,

    /// <summary>A descriptor was rejected for a person ("that was not me"; see <see cref="StoredRejection"/>).</summary>
    Reject,

    /// <summary>A rejection was deleted (with its person).</summary>
    Unreject,
}

/// <summary>
/// One entry of a gallery's change log (see <see cref="IGalleryStore.ReadChanges"/>), with what an index needs to apply
/// it as the store stands when the log is read. Applying entries in order is idempotent, so an index may replay entries
/// it has already seen.
/// </summary>
/// <param name="Seq">The entry's number: entries are numbered in commit order, from 1.</param>
/// <param name="Kind">What happened.</param>
/// <param name="PersonId">Whose face or name it was.</param>
/// <param name="FaceId">The face added or removed; null for other kinds.</param>
/// <param name="PersonName">The person's current name; null when the person has since been deleted.</param>
/// <param name="Vector">
/// For <see cref="GalleryChangeKind.Add"/> and <see cref="GalleryChangeKind.Reject"/>: the descriptor, when the face
/// (or rejection) still exists and belongs to the model asked for; else null.
/// </param>
/// <param name="RejectionId">The rejection made or deleted; null for other kinds.</param>
public sealed record GalleryChange(long Seq, GalleryChangeKind Kind, long PersonId, long? FaceId, string? PersonName, float[]? Vector, long? RejectionId = null);

/// <summary>Names shared by the change log's SQL and its listeners.</summary>
public static class GalleryChanges
{
    /// <summary>The PostgreSQL NOTIFY channel a committed change is announced on (with an empty payload).</summary>
    public const string Channel = "visage_gallery";

    /// <summary>
    /// The advisory lock key ("VISH" in ASCII) that PostgreSQL writers hold from their first statement to commit, so
    /// change numbers are handed out in commit order and a reader never skips a number committed late.
    /// </summary>
    public const long WriteLock = 0x56495348;
}
