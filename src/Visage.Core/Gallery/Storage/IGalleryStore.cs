using Visage.Faces;

namespace Visage.Gallery.Storage;

/// <summary>
/// Durable storage of persons, faces and descriptors. Implementations (SQLite, PostgreSQL) behave the same:
/// every write is one transaction committed before the method returns, ids are never reused, names are unique
/// (compared exactly), and deleting a person deletes all of their faces. Implementations are safe to call from many
/// threads and processes at once.
/// </summary>
/// <remarks>Every method may also throw <see cref="GalleryCorruptException"/> or <see cref="GalleryUnavailableException"/>.</remarks>
public interface IGalleryStore : IDisposable
{
    /// <summary>Where the gallery lives (file path or database description), for messages.</summary>
    string Location { get; }

    /// <summary>Creates a person.</summary>
    /// <exception cref="ArgumentException">The name is empty or whitespace.</exception>
    /// <exception cref="DuplicatePersonException">The name is taken.</exception>
    Person CreatePerson(string name);

    /// <summary>The person with this id, or null.</summary>
    Person? GetPerson(long personId);

    /// <summary>The person with exactly this name, or null.</summary>
    Person? FindPerson(string name);

    /// <summary>One page of persons in creation (id) order, each with their face count.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="offset"/> or <paramref name="limit"/> is negative.</exception>
    IReadOnlyList<Person> ListPersons(int offset, int limit);

    /// <summary>Renames a person (renaming to the current name is a no-op).</summary>
    /// <exception cref="ArgumentException">The name is empty or whitespace.</exception>
    /// <exception cref="PersonNotFoundException">No such person.</exception>
    /// <exception cref="DuplicatePersonException">Another person has that name.</exception>
    Person RenamePerson(long personId, string newName);

    /// <summary>
    /// Deletes a person and every one of their faces; the descriptors' bytes are overwritten in the store, not just unlinked.
    /// </summary>
    /// <returns>False when there was no such person.</returns>
    bool DeletePerson(long personId);

    /// <summary>
    /// Adds a face. Idempotent: the same person, image hash and model id return the face already stored, with
    /// <see cref="EnrolledFace.Created"/> false.
    /// </summary>
    /// <exception cref="ArgumentException">The image hash is not 64 hex digits.</exception>
    /// <param name="personId">Whose face it is.</param>
    /// <param name="imageSha256">SHA-256 of the source image, 64 hex digits.</param>
    /// <param name="box">Detection box in the source image's pixels.</param>
    /// <param name="landmarks">The 68 points, when known.</param>
    /// <param name="embedding">The descriptor.</param>
    /// <param name="thumbnail">A small encoded image of the face (JPEG), kept for display; null for none.</param>
    /// <param name="quality">The face's quality score for enrollment (0..1, see Visage.Enrollment.EnrollmentQuality); null when not measured.</param>
    /// <exception cref="PersonNotFoundException">No such person.</exception>
    EnrolledFace AddFace(long personId, string imageSha256, BoundingBox box, FaceLandmarks? landmarks, FaceEmbedding embedding, byte[]? thumbnail = null, float? quality = null);

    /// <summary>The thumbnail stored with a face, or null when the face does not exist or has none.</summary>
    byte[]? GetThumbnail(long faceId);

    /// <summary>A person's faces in enrollment (id) order; empty when the person has none or does not exist.</summary>
    IReadOnlyList<StoredFace> ListFaces(long personId);

    /// <summary>The face with this id, or null.</summary>
    StoredFace? GetFace(long faceId);

    /// <summary>Deletes a face; its descriptor's and thumbnail's bytes are overwritten in the store, not just unlinked.</summary>
    /// <returns>False when there was no such face.</returns>
    bool DeleteFace(long faceId);

    /// <summary>Stores a descriptor rejected for a person (it is deleted with the person).</summary>
    /// <param name="personId">The person the face was wrongly given.</param>
    /// <param name="embedding">The rejected descriptor.</param>
    /// <exception cref="PersonNotFoundException">No such person.</exception>
    StoredRejection AddRejection(long personId, FaceEmbedding embedding);

    /// <summary>A person's rejections in id order; empty when there are none or the person does not exist.</summary>
    IReadOnlyList<StoredRejection> ListRejections(long personId);

    /// <summary>Streams every rejection of one model id, in id order, to <paramref name="visit"/> (to build an index).</summary>
    void LoadRejections(string modelId, RejectionVisitor visit);

    /// <summary>Persons, faces of <paramref name="modelId"/>, and faces of other models.</summary>
    GalleryCounts Count(string modelId);

    /// <summary>Streams every face of one model id, in id order, to <paramref name="visit"/> (to build an index).</summary>
    void LoadVectors(string modelId, FaceVectorVisitor visit);

    /// <summary>
    /// The number of the latest committed change (0 when there is none): every face added or removed, every rename and
    /// every rejection made or deleted is logged, by whichever process made it, in the same transaction.
    /// </summary>
    long LatestChange();

    /// <summary>Up to <paramref name="limit"/> changes numbered after <paramref name="afterSeq"/>, in order.</summary>
    /// <param name="modelId">The model whose descriptors <see cref="GalleryChange.Vector"/> carries.</param>
    /// <param name="afterSeq">The last change already applied (0 for all).</param>
    /// <param name="limit">The most entries to return.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="limit"/> is not positive.</exception>
    /// <exception cref="ChangeLogPrunedException">Changes after <paramref name="afterSeq"/> were pruned: reload instead.</exception>
    IReadOnlyList<GalleryChange> ReadChanges(string modelId, long afterSeq, int limit);

    /// <summary>
    /// Records that the reader <paramref name="readerId"/> (a process following the change log) has applied every change
    /// up to <paramref name="seq"/> and is alive at <paramref name="nowUtc"/>: pruning keeps what it has not read.
    /// </summary>
    void RecordReader(string readerId, long seq, DateTime nowUtc);

    /// <summary>Forgets a reader (one that stopped): pruning no longer waits for it.</summary>
    void ForgetReader(string readerId);

    /// <summary>
    /// Prunes the change log: forgets readers not seen within <paramref name="window"/>, then deletes every entry all
    /// remaining readers have read, and every entry older than the window (by the marks each pruning leaves: a change
    /// is known to be older than the window once a pruning that long ago saw it). A reader whose changes were pruned
    /// gets <see cref="ChangeLogPrunedException"/> and reloads.
    /// </summary>
    /// <param name="window">How long entries (and silent readers) are kept at most.</param>
    /// <param name="nowUtc">The time now (a parameter, so a test can simulate a day).</param>
    ChangeLogPruning PruneChanges(TimeSpan window, DateTime nowUtc);

    /// <summary>
    /// Deletes the whole gallery: every person, face, rejection and sighting (API keys and the audit log stay); the
    /// bytes are overwritten where the store does that on delete (see <see cref="CompleteErasures"/>).
    /// </summary>
    GalleryRows EraseAll();

    /// <summary>
    /// Makes deletions final on disk where the database needs help. SQLite needs none (<c>secure_delete</c> overwrote
    /// the rows, and its WAL was truncated). PostgreSQL keeps a deleted row's bytes in the table's file until the
    /// table is rewritten: each table rows were deleted from (recorded by triggers, by whichever process deleted
    /// them) is rewritten with <c>VACUUM FULL</c> once its oldest pending erasure is <paramref name="settle"/> old,
    /// so a burst of deletes costs one rewrite.
    /// </summary>
    /// <param name="settle">How long to gather erasures before rewriting (zero: now).</param>
    ErasureReport CompleteErasures(TimeSpan settle);
}
