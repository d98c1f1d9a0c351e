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
/// Writes made by another process (or another instance) on the same store reach this index through
/// <see cref="Synchronize"/>, which replays the store's change log from where this index stands (a
/// <see cref="GalleryChangeFeed"/> says when to call it).
/// </remarks>
public sealed class FaceGallery : IDisposable
{
    private readonly IGalleryStore _store;
    private readonly bool _ownsStore;
    private volatile GalleryIndex _index;
    private volatile RejectionIndex _rejections = new();
    private readonly Lock _writes = new(); // keeps store order and index order the same
    private long _changeSeq; // the last change of the store's log this index reflects

    /// <summary>Wraps a store and loads the index of <paramref name="modelId"/> from it.</summary>
    /// <param name="store">The store.</param>
    /// <param name="modelId">The model whose descriptors this gallery matches.</param>
    /// <param name="ownsStore">Dispose the store with the gallery.</param>
    public FaceGallery(IGalleryStore store, string modelId, bool ownsStore = true)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentException.ThrowIfNullOrWhiteSpace(modelId);
        _store = store;
        _ownsStore = ownsStore;
        ModelId = modelId;
        try
        {
            (_index, _rejections, _changeSeq) = Load();
        }
        catch
        {
            if (ownsStore) store.Dispose();
            throw;
        }
    }

    /// <summary>Opens the gallery at <paramref name="location"/> (see <see cref="GalleryStores.Open"/>) for <paramref name="modelId"/>.</summary>
    /// <exception cref="GalleryCorruptException">The file is not a usable gallery (it is left untouched).</exception>
    /// <exception cref="GalleryUnavailableException">The gallery cannot be opened.</exception>
    public static FaceGallery Open(string location, string modelId) => new(GalleryStores.Open(location), modelId);

    /// <summary>The model whose descriptors are matched.</summary>
    public string ModelId { get; }

    /// <summary>The store, for the other tables of the gallery's database (sightings, the audit log) to share its connections.</summary>
    public IGalleryStore Store => _store;

    /// <summary>Where the gallery lives.</summary>
    public string Location => _store.Location;

    /// <summary>The index, for searches beyond <see cref="Match"/> (read it; write through this gallery only).</summary>
    public GalleryIndex Index => _index;

    /// <summary>The descriptors rejected for persons ("that was not me"), which the decision consults (read it; write through <see cref="Reject"/>).</summary>
    public RejectionIndex Rejections => _rejections;

    /// <summary>The number of the last change of the store's log that this index reflects (see <see cref="Synchronize"/>).</summary>
    public long SynchronizedTo => Volatile.Read(ref _changeSeq);

    /// <summary>How many times <see cref="Synchronize"/> loaded the whole gallery again, because changes it had not applied were pruned.</summary>
    public int Reloads { get; private set; }

    /// <summary>
    /// Brings the index in step with writes made elsewhere (other processes or instances on the same store): applies
    /// every change logged after <see cref="SynchronizedTo"/>, in order. Idempotent; writes through this instance wait.
    /// When some of those changes were pruned from the log (this reader was away longer than the retention window),
    /// the indexes are loaded again from the store instead (<see cref="Reloads"/>).
    /// </summary>
    /// <param name="maxChanges">
    /// Returns once this many were read, even if more follow (a caller with work of its own between reads, since
    /// writers faster than this reader would otherwise keep it here).
    /// </param>
    /// <returns>How many log entries were read (0 after a reload).</returns>
    /// <exception cref="GalleryUnavailableException">The store cannot be reached (the index is left as it was, consistent up to <see cref="SynchronizedTo"/>).</exception>
    public int Synchronize(int maxChanges = int.MaxValue)
    {
        const int Batch = 1000;
        lock (_writes)
        {
            var read = 0;
            while (true)
            {
                IReadOnlyList<GalleryChange> changes;
                try
                {
                    changes = _store.ReadChanges(ModelId, _changeSeq, Batch);
                }
                catch (ChangeLogPrunedException)
                {
                    Reload();
                    return 0;
                }
                foreach (var change in changes)
                {
                    Apply(change);
                    Volatile.Write(ref _changeSeq, change.Seq);
                }
                read += changes.Count;
                if (changes.Count < Batch || read >= maxChanges) return read;
            }
        }
    }

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

    /// <summary>Deletes the whole gallery (persons, faces, rejections, sightings); the indexes follow.</summary>
    public GalleryRows EraseAll()
    {
        var erased = _store.EraseAll();
        Synchronize(); // the log holds a removal for every face and rejection
        return erased;
    }

    /// <summary>
    /// Persons, faces of <see cref="ModelId"/>, and faces of other models (which are ignored: the CLI warns about them).
    /// </summary>
    public GalleryCounts Count() => _store.Count(ModelId);

    // Readers (searches in flight) may still hold the old indexes: they are left to the collector, not disposed.
    private void Reload()
    {
        (_index, _rejections, var seq) = Load();
        Volatile.Write(ref _changeSeq, seq);
        Reloads++;
    }

    private (GalleryIndex, RejectionIndex, long) Load()
    {
        // Sized to the stored faces up front: a 1M-face index grown by doubling would carry 5% to 100% unused rows.
        var index = new GalleryIndex(ModelId, (int)Math.Clamp(_store.Count(ModelId).Faces, 1024, Array.MaxLength / FaceEmbedding.Dimensions));
        var rejections = new RejectionIndex();
        try
        {
            // Read before the vectors: replaying changes already loaded is harmless, missing one is not.
            var seq = _store.LatestChange();
            _store.LoadVectors(ModelId, index.Add);
            _store.LoadRejections(ModelId, rejections.Add);
            return (index, rejections, seq);
        }
        catch
        {
            index.Dispose();
            throw;
        }
    }

    // The store as it is now decides: a face added then deleted since is skipped (its removal follows in the log).
    private void Apply(GalleryChange change)
    {
        switch (change.Kind)
        {
            case GalleryChangeKind.Add when change is { FaceId: { } faceId, Vector: { } vector, PersonName: { } name }:
                if (!_index.Contains(faceId)) _index.Add(faceId, change.PersonId, name, vector);
                break;
            case GalleryChangeKind.Remove when change.FaceId is { } faceId:
                _index.Remove(faceId);
                break;
            case GalleryChangeKind.Rename when change.PersonName is { } name:
                _index.RenamePerson(change.PersonId, name);
                break;
            case GalleryChangeKind.Reject when change is { RejectionId: { } rejectionId, Vector: { } vector }:
                _rejections.Add(rejectionId, change.PersonId, vector);
                break;
            case GalleryChangeKind.Unreject when change.RejectionId is { } rejectionId:
                _rejections.Remove(rejectionId);
                break;
        }
    }

    /// <summary>Releases the index and (when owned) the store.</summary>
    public void Dispose()
    {
        _index.Dispose();
        if (_ownsStore) _store.Dispose();
    }
}
