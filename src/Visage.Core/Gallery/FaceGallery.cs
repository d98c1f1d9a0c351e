using Visage.Faces;
using Visage.Gallery.Search;
using Visage.Gallery.Storage;
using Visage.Matching;

namespace Visage.Gallery;

/// <summary>
/// A gallery as the application uses it: a durable store plus the in-memory index of one model id, loaded at open
/// and kept in step with every write made through this instance (store first, then index, so the index never holds
/// what the store did not accept). Faces of other model ids stay in the store but are never matched
/// (see <see cref="Count"/>). Thread-safe: matches run in parallel; writes through one instance are serialized.
/// </summary>
/// <remarks>
/// <para>Writes made by another process (or another instance) on the same store reach this index through
/// <see cref="Synchronize"/>, which replays the store's change log from where this index stands (a
/// <see cref="GalleryChangeFeed"/> says when to call it).</para>
/// <para>A gallery of at least <see cref="GalleryIndexOptions.CompressedFromFaces"/> faces gets a compressed index
/// (<see cref="GalleryIndex.IsCompressed"/>) in <see cref="GalleryIndexOptions.Directory"/>: taken up from where it was
/// saved at the last <see cref="Dispose"/> when the store still agrees with it (the change it was saved at, the face
/// count, a sample of vectors), the changes since replayed; else built again from the store. A directory already held by
/// another open gallery (another process) gets this instance a private index in a temporary directory instead.</para>
/// </remarks>
public sealed class FaceGallery : IDisposable
{
    /// <summary>
    /// The fewest faces a compressed index is built for, whatever the options say: its quantizers learn 16 lists of
    /// 4-bit codes from the gallery itself.
    /// </summary>
    public const int MinimumCompressedFaces = 256;

    private readonly IGalleryStore _store;
    private readonly bool _ownsStore;
    private readonly GalleryIndexOptions _indexOptions;
    private volatile GalleryIndex _index;
    private string? _privateDirectory; // a compressed index of this instance alone, deleted at dispose
    private volatile RejectionIndex _rejections;
    private readonly Lock _writes = new(); // keeps store order and index order the same
    private long _changeSeq; // the last change of the store's log this index reflects

    /// <summary>Wraps a store and loads the index of <paramref name="modelId"/> from it.</summary>
    /// <param name="store">The store.</param>
    /// <param name="modelId">The model whose descriptors this gallery matches.</param>
    /// <param name="ownsStore">Dispose the store with the gallery.</param>
    /// <param name="indexOptions">How the index is kept (default <see cref="GalleryIndexOptions.Default"/>).</param>
    /// <exception cref="IOException">A compressed index's files cannot be written.</exception>
    public FaceGallery(IGalleryStore store, string modelId, bool ownsStore = true, GalleryIndexOptions? indexOptions = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentException.ThrowIfNullOrWhiteSpace(modelId);
        _store = store;
        _ownsStore = ownsStore;
        ModelId = modelId;
        _indexOptions = indexOptions ?? GalleryIndexOptions.Default;
        _indexOptions.Validate();
        try
        {
            (_index, _rejections, _privateDirectory, IndexOrigin) = Load();
        }
        catch
        {
            if (ownsStore) store.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The index and the rejections as the store holds them now, and the log's position they reflect (in
    /// <see cref="_changeSeq"/>): a compressed index when the gallery is large enough, else an exact one.
    /// </summary>
    private (GalleryIndex Index, RejectionIndex Rejections, string? Private, GalleryIndexOrigin Origin) Load()
    {
        var rejections = new RejectionIndex();
        GalleryIndex? index = null;
        try
        {
            var faces = _store.Count(ModelId).Faces;
            string? privateDirectory = null;
            var origin = GalleryIndexOrigin.Loaded;
            if (faces >= Math.Max(_indexOptions.CompressedFromFaces, MinimumCompressedFaces))
            {
                (index, privateDirectory, var restored) = OpenCompressed(_indexOptions.Directory ?? IndexCheckpoints.DirectoryFor(_store.Location), rejections, (int)Math.Min(faces, int.MaxValue));
                origin = restored ? GalleryIndexOrigin.Restored : GalleryIndexOrigin.Built;
            }
            else
            {
                // Sized to the stored faces up front: a 1M-face index grown by doubling would carry 5% to 100% unused rows.
                index = new GalleryIndex(ModelId, (int)Math.Clamp(faces, 1024, Array.MaxLength / FaceEmbedding.Dimensions));
                // Read before the vectors: replaying changes already loaded is harmless, missing one is not.
                Volatile.Write(ref _changeSeq, _store.LatestChange());
                _store.LoadVectors(ModelId, index.Add);
            }
            // After the faces, for either kind of index: a rejection logged since is replayed later, and adding one twice is a no-op.
            _store.LoadRejections(ModelId, rejections.Add);
            return (index, rejections, privateDirectory, origin);
        }
        catch
        {
            index?.Dispose();
            throw;
        }
    }

    // Readers (searches in flight) may still hold the old index: it is left to the collector, not disposed. A private
    // directory's files stay readable to them once unlinked.
    private void Reload()
    {
        var formerPrivate = _privateDirectory;
        (_index, _rejections, _privateDirectory, _) = Load();
        DeletePrivateDirectory(formerPrivate);
        Reloads++;
    }

    /// <summary>Opens the gallery at <paramref name="location"/> (see <see cref="GalleryStores.Open"/>) for <paramref name="modelId"/>.</summary>
    /// <exception cref="GalleryCorruptException">The file is not a usable gallery (it is left untouched).</exception>
    /// <exception cref="GalleryUnavailableException">The gallery cannot be opened.</exception>
    public static FaceGallery Open(string location, string modelId) => new(GalleryStores.Open(location), modelId);

    /// <summary>The model whose descriptors are matched.</summary>
    public string ModelId { get; }

    /// <summary>How the index came to be when the gallery opened.</summary>
    public GalleryIndexOrigin IndexOrigin { get; }

    /// <summary>The store, for the other tables of the gallery's database (sightings, the audit log) to share its connections.</summary>
    public IGalleryStore Store => _store;

    /// <summary>How many times <see cref="Synchronize"/> loaded the whole gallery again, because changes it had not applied were pruned.</summary>
    public int Reloads { get; private set; }

    /// <summary>Where the gallery lives.</summary>
    public string Location => _store.Location;

    /// <summary>The index, for searches beyond <see cref="Match"/> (read it; write through this gallery only).</summary>
    public GalleryIndex Index => _index;

    /// <summary>The descriptors rejected for persons ("that was not me"), which the decision consults (read it; write through <see cref="Reject"/>).</summary>
    public RejectionIndex Rejections => _rejections;

    /// <summary>The number of the last change of the store's log that this index reflects (see <see cref="Synchronize"/>).</summary>
    public long SynchronizedTo => Volatile.Read(ref _changeSeq);

    /// <summary>
    /// Brings the index in step with writes made elsewhere (other processes or instances on the same store): applies
    /// every change logged after <see cref="SynchronizedTo"/>, in order. Idempotent; writes through this instance wait.
    /// When some of those changes were pruned from the log (this reader was away longer than the retention window),
    /// the index is loaded again from the store instead (<see cref="Reloads"/>).
    /// </summary>
    /// <param name="maxChanges">
    /// Returns once this many were read, even if more follow (a caller with work of its own between reads, since
    /// writers faster than this reader would otherwise keep it here).
    /// </param>
    /// <returns>How many log entries were read (0 after a reload).</returns>
    /// <exception cref="GalleryUnavailableException">The store cannot be reached (the index is left as it was, consistent up to <see cref="SynchronizedTo"/>).</exception>
    public int Synchronize(int maxChanges = int.MaxValue)
    {
        lock (_writes)
        {
            try
            {
                return Replay(_index, _rejections, maxChanges);
            }
            catch (ChangeLogPrunedException)
            {
                Reload();
                return 0;
            }
        }
    }

    /// <summary>Applies to <paramref name="index"/> every change logged after <see cref="SynchronizedTo"/>, in order.</summary>
    /// <exception cref="ChangeLogPrunedException">Changes after <see cref="SynchronizedTo"/> were pruned.</exception>
    private int Replay(GalleryIndex index, RejectionIndex rejections, int maxChanges = int.MaxValue)
    {
        var read = 0;
        while (true)
        {
            var changes = _store.ReadChanges(ModelId, _changeSeq, SynchronizeBatch);
            foreach (var change in changes)
            {
                Apply(index, rejections, change);
                Volatile.Write(ref _changeSeq, change.Seq);
            }
            read += changes.Count;
            if (changes.Count < SynchronizeBatch || read >= maxChanges) return read;
        }
    }

    // Changes read from the log per query.
    private const int SynchronizeBatch = 1000;

    /// <summary>Creates a person.</summary>
    /// <exception cref="DuplicatePersonException">The name is taken.</exception>
    public Person CreatePerson(string name) => _store.CreatePerson(name);

    /// <summary>The person with this name, created when missing (for enrolling a folder per person; safe against a concurrent create).</summary>
    public Person GetOrCreatePerson(string name)
    {
        GalleryArguments.CheckName(name, nameof(name));
        while (true)
        {
            if (_store.FindPerson(name) is { } existing) return existing;
            try { return _store.CreatePerson(name); }
            catch (DuplicatePersonException) { } // created meanwhile by someone else: read it
        }
    }

    /// <summary>The person with this id, or null.</summary>
    public Person? GetPerson(long personId) => _store.GetPerson(personId);

    /// <summary>The person with exactly this name, or null.</summary>
    public Person? FindPerson(string name) => _store.FindPerson(name);

    /// <summary>One page of persons in creation order with their face counts (of every model).</summary>
    public IReadOnlyList<Person> ListPersons(int offset = 0, int limit = 100) => _store.ListPersons(offset, limit);

    /// <summary>Renames a person.</summary>
    /// <exception cref="PersonNotFoundException">No such person.</exception>
    /// <exception cref="DuplicatePersonException">Another person has that name.</exception>
    public Person RenamePerson(long personId, string newName)
    {
        lock (_writes)
        {
            var person = _store.RenamePerson(personId, newName);
            _index.RenamePerson(personId, person.Name);
            return person;
        }
    }

    /// <summary>Deletes a person with all their faces and descriptors.</summary>
    /// <returns>False when there was no such person.</returns>
    public bool DeletePerson(long personId)
    {
        lock (_writes)
        {
            var deleted = _store.DeletePerson(personId);
            _index.RemovePerson(personId);
            _rejections.RemovePerson(personId);
            return deleted;
        }
    }

    /// <summary>
    /// Enrolls a face of a person from an image. Idempotent: the same person, image and model give back the face
    /// already stored (<see cref="EnrolledFace.Created"/> false).
    /// </summary>
    /// <param name="personId">Whose face it is.</param>
    /// <param name="imageSha256">SHA-256 of the source image file, 64 hex digits.</param>
    /// <param name="face">The face, with its embedding.</param>
    /// <param name="thumbnail">A small JPEG of the face to keep for display (see <see cref="Imaging.FaceThumbnail"/>), or null.</param>
    /// <param name="quality">The face's quality score (0..1, measured by the enrollment workflow), or null.</param>
    /// <exception cref="ArgumentException">The face has no embedding, its model id is not <see cref="ModelId"/>, or the hash is malformed.</exception>
    /// <exception cref="PersonNotFoundException">No such person.</exception>
    public EnrolledFace Enroll(long personId, string imageSha256, Face face, byte[]? thumbnail = null, float? quality = null)
    {
        ArgumentNullException.ThrowIfNull(face);
        var embedding = face.Embedding ?? throw new ArgumentException("the face has no embedding to enroll", nameof(face));
        if (embedding.ModelId != ModelId)
            throw new ArgumentException($"the face was embedded by model '{embedding.ModelId}', the gallery holds model '{ModelId}'", nameof(face));
        lock (_writes)
        {
            var enrollment = _store.AddFace(personId, imageSha256, face.Box, face.Landmarks, embedding, thumbnail, quality);
            // Also when not created here: the face may have been enrolled by another process since this index loaded.
            if (!_index.Contains(enrollment.Face.Id))
                _index.Add(enrollment.Face.Id, personId, enrollment.PersonName, enrollment.Face.Embedding.Vector);
            return enrollment;
        }
    }

    /// <summary>
    /// Records that a face named as <paramref name="personId"/> was not them: its descriptor then vetoes the person for
    /// probes nearer to it than to the person's own faces (the decision's rule is in <c>Recognition</c>).
    /// </summary>
    /// <exception cref="ArgumentException">The descriptor's model id is not <see cref="ModelId"/>.</exception>
    /// <exception cref="PersonNotFoundException">No such person.</exception>
    public StoredRejection Reject(long personId, FaceEmbedding embedding)
    {
        ArgumentNullException.ThrowIfNull(embedding);
        if (embedding.ModelId != ModelId)
            throw new ArgumentException($"the descriptor comes from model '{embedding.ModelId}', the gallery holds model '{ModelId}'", nameof(embedding));
        lock (_writes)
        {
            var rejection = _store.AddRejection(personId, embedding);
            _rejections.Add(rejection.Id, personId, embedding.Vector);
            return rejection;
        }
    }

    /// <summary>A person's rejections in the order they were made (of every model).</summary>
    public IReadOnlyList<StoredRejection> ListRejections(long personId) => _store.ListRejections(personId);

    /// <summary>A person's faces in enrollment order (of every model).</summary>
    public IReadOnlyList<StoredFace> ListFaces(long personId) => _store.ListFaces(personId);

    /// <summary>The face with this id, or null.</summary>
    public StoredFace? GetFace(long faceId) => _store.GetFace(faceId);

    /// <summary>The thumbnail kept with a face, or null.</summary>
    public byte[]? GetThumbnail(long faceId) => _store.GetThumbnail(faceId);

    /// <summary>Deletes one face and its descriptor.</summary>
    /// <returns>False when there was no such face.</returns>
    public bool DeleteFace(long faceId)
    {
        lock (_writes)
        {
            var deleted = _store.DeleteFace(faceId);
            _index.Remove(faceId);
            return deleted;
        }
    }

    /// <summary>
    /// Persons, faces of <see cref="ModelId"/>, and faces of other models (which are ignored: the CLI warns about them).
    /// </summary>
    public GalleryCounts Count() => _store.Count(ModelId);

    /// <summary>Deletes the whole gallery (persons, faces, rejections, sightings); the indexes follow.</summary>
    public GalleryRows EraseAll()
    {
        var erased = _store.EraseAll();
        Synchronize(); // the log holds a removal for every face and rejection
        return erased;
    }

    /// <summary>
    /// The saved compressed index when the store agrees with it (brought up to date from the log), else one built from
    /// the store; in a private temporary directory when <paramref name="directory"/> is held by another open gallery.
    /// </summary>
    private (GalleryIndex Index, string? Private, bool Restored) OpenCompressed(string directory, RejectionIndex rejections, int faces)
    {
        var options = _indexOptions;
        string? privateDirectory = null;
        GalleryIndex? saved;
        try { saved = GalleryIndex.OpenCompressed(ModelId, directory, options, out var stamp) is { } open ? TakeUp(open, rejections, stamp) : null; }
        catch (IOException)
        {
            privateDirectory = directory = PrivateDirectory();
            saved = null;
        }
        if (saved is not null) return (saved, null, true);
        // Read before the vectors: replaying changes already loaded is harmless, missing one is not.
        Volatile.Write(ref _changeSeq, _store.LatestChange());
        try
        {
            return (GalleryIndex.BuildCompressed(ModelId, directory, options, visit => _store.LoadVectors(ModelId, visit), faces), privateDirectory, false);
        }
        catch (IOException) when (privateDirectory is null)
        {
            // Taken by another gallery between the look and the build.
            privateDirectory = PrivateDirectory();
            return (GalleryIndex.BuildCompressed(ModelId, privateDirectory, options, visit => _store.LoadVectors(ModelId, visit), faces), privateDirectory, false);
        }
    }

    private static string PrivateDirectory() => Path.Combine(Path.GetTempPath(), "visage-index-" + Guid.NewGuid().ToString("N"));

    /// <summary>A saved index brought up to date from the log, or null (disposed) when the store does not agree with it.</summary>
    private GalleryIndex? TakeUp(GalleryIndex index, RejectionIndex rejections, string stamp)
    {
        try
        {
            if (IndexCheckpoints.Check(_store, ModelId, stamp) is { } seq)
            {
                Volatile.Write(ref _changeSeq, seq);
                Replay(index, rejections);
                if (IndexCheckpoints.Agrees(_store, index)) return index;
            }
        }
        catch (ChangeLogPrunedException)
        {
            index.Dispose(); // saved before the oldest change kept: built again
            return null;
        }
        catch
        {
            index.Dispose();
            throw;
        }
        index.Dispose();
        return null;
    }

    // The store as it is now decides: a face added then deleted since is skipped (its removal follows in the log).
    private static void Apply(GalleryIndex index, RejectionIndex rejections, GalleryChange change)
    {
        switch (change.Kind)
        {
            case GalleryChangeKind.Add when change is { FaceId: { } faceId, Vector: { } vector, PersonName: { } name }:
                if (!index.Contains(faceId)) index.Add(faceId, change.PersonId, name, vector);
                break;
            case GalleryChangeKind.Remove when change.FaceId is { } faceId:
                index.Remove(faceId);
                break;
            case GalleryChangeKind.Rename when change.PersonName is { } name:
                index.RenamePerson(change.PersonId, name);
                break;
            case GalleryChangeKind.Reject when change is { RejectionId: { } rejectionId, Vector: { } vector }:
                rejections.Add(rejectionId, change.PersonId, vector);
                break;
            case GalleryChangeKind.Unreject when change.RejectionId is { } rejectionId:
                rejections.Remove(rejectionId);
                break;
        }
    }

    /// <summary>
    /// Releases the index and (when owned) the store. A compressed index with changes is saved first (with the change
    /// of the log it reflects), so the next open takes it up instead of building it again; when the store cannot be
    /// read then, it is not saved and the next open rebuilds it.
    /// </summary>
    public void Dispose()
    {
        lock (_writes)
        {
            try
            {
                if (_index.IsCompressed && _privateDirectory is null && _index.HasUnsavedChanges) _index.Save(IndexCheckpoints.Stamp(_store, ModelId, _changeSeq));
            }
            catch (Exception e) when (e is GalleryException or IOException or InvalidOperationException) { }
            _index.Dispose();
            DeletePrivateDirectory(_privateDirectory);
        }
        if (_ownsStore) _store.Dispose();
    }

    private static void DeletePrivateDirectory(string? directory)
    {
        if (directory is null) return;
        try { Directory.Delete(directory, recursive: true); }
        catch (IOException) { } // a temp dir left behind must not fail the caller
    }
}
