using Visage.Faces;
using Visage.Gallery.Search.Compressed;
using Visage.Gallery.Storage;

namespace Visage.Gallery.Search;

public sealed partial class GalleryIndex
{
    // The files of a compressed index, in its directory.
    private const string FacesFile = "faces.f32", MeansFile = "means.f32", CheckpointFile = "index.vgi", LockFile = "lock";

    // Faces whose vectors train the quantizers, per list (k-means wants a few dozen points per centroid).
    private const int TrainingRowsPerList = 64;

    // The quantizers are seeded: the same gallery gives the same index.
    private const int TrainingSeed = 22;

    /// <summary>
    /// Builds a compressed index of the faces <paramref name="load"/> streams (as <see cref="IGalleryStore.LoadVectors"/>
    /// does): their vectors go to a file in <paramref name="directory"/> (replacing any index there), the quantizers are
    /// learned from a seeded sample, and every face is coded. The directory is held (a lock file) until the index is disposed.
    /// </summary>
    /// <param name="modelId">The only model id the index accepts.</param>
    /// <param name="directory">Where the files go (created when missing).</param>
    /// <param name="options">Lists, probes, candidates, build threads.</param>
    /// <param name="load">Streams every face to the visitor it is given.</param>
    /// <param name="expectedFaces">How many faces to make room for up front.</param>
    /// <exception cref="IOException">The directory is held by another open index, or cannot be written.</exception>
    /// <exception cref="ArgumentException">A vector is not 128 long, or a face id comes twice.</exception>
    public static GalleryIndex BuildCompressed(string modelId, string directory, GalleryIndexOptions options, Action<FaceVectorVisitor> load, int expectedFaces)
    {
        ArgumentNullException.ThrowIfNull(modelId);
        ArgumentNullException.ThrowIfNull(load);
        options.Validate();
        var hold = DirectoryHold.Acquire(directory);
        RowFile? file = null;
        try
        {
            File.Delete(Path.Combine(directory, CheckpointFile));
            file = RowFile.Create(Path.Combine(directory, FacesFile), FaceEmbedding.Dimensions, Math.Max(1024, expectedFaces));
            var (ids, owners, names) = Stream(file, load, Math.Max(1024, expectedFaces));
            var lists = options.Lists > 0 ? options.Lists : VectorCoder.ListsFor(ids.Count);
            var coder = VectorCoder.Train(Sample(file, ids.Count, lists), FaceEmbedding.Dimensions, lists, TrainingSeed, options.BuildThreads);
            var rows = new CompressedRows(coder, file, ids.Count);
            file = null;
            rows.AddStored(ids.ToArray(), owners.ToArray(), options.BuildThreads);
            var index = Compressed(modelId, directory, options, rows, names, hold);
            index._unsaved = true;
            return index;
        }
        catch
        {
            file?.Dispose();
            hold.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The compressed index saved in <paramref name="directory"/> by <see cref="Save"/>, with the stamp it was saved with;
    /// null when there is none, or it is damaged, of another model, or its files were changed since it was saved (a
    /// crash mid-write): the caller builds it again. The directory is held until the index is disposed.
    /// </summary>
    /// <exception cref="IOException">The directory is held by another open index.</exception>
    public static GalleryIndex? OpenCompressed(string modelId, string directory, GalleryIndexOptions options, out string stamp)
    {
        ArgumentNullException.ThrowIfNull(modelId);
        options.Validate();
        stamp = "";
        var hold = DirectoryHold.Acquire(directory);
        var contents = CompressedCheckpoint.Load(Path.Combine(directory, CheckpointFile), Path.Combine(directory, FacesFile), modelId, FaceEmbedding.Dimensions);
        if (contents is null)
        {
            hold.Dispose();
            return null;
        }
        try
        {
            var index = Compressed(modelId, directory, options, contents.Rows, contents.Persons.ToDictionary(p => p.PersonId, p => p.Name), hold);
            stamp = contents.Stamp;
            return index;
        }
        catch (ArgumentException)
        {
            // A face id twice, or a face of an unnamed person: not a checkpoint this code wrote.
            contents.Rows.Dispose();
            hold.Dispose();
            return null;
        }
    }

    /// <summary>
    /// Saves a compressed index to its directory with <paramref name="stamp"/> (a gallery's: which change of its log the
    /// index reflects), so that <see cref="OpenCompressed"/> can take it up instead of building it again. Searches go on
    /// meanwhile; writes wait. No-op for an exact index.
    /// </summary>
    /// <exception cref="IOException">The files cannot be written.</exception>
    public void Save(string stamp)
    {
        ArgumentNullException.ThrowIfNull(stamp);
        if (_faces is not ProbedRows probed || _directory is not { } directory) return;
        _lock.EnterReadLock();
        try
        {
            var persons = new List<(long, string)>(_persons.Count);
            for (var slot = 0; slot < probed.Count; slot++)
            {
                var owner = probed.OwnerAt(slot);
                if (_persons.FirstFace(owner) == slot) persons.Add((owner, _persons.NameOf(owner))); // once per person: their chain's head
            }
            CompressedCheckpoint.Save(Path.Combine(directory, CheckpointFile), ModelId, probed.Compressed, persons, stamp);
            Volatile.Write(ref _unsaved, false);
        }
        finally { _lock.ExitReadLock(); }
    }

    /// <summary>
    /// Changes how much of a compressed index a face search reads: the share of lists probed and the candidates
    /// re-ranked (see <see cref="GalleryIndexOptions"/>). For the bench's recall curves and for operators who trade
    /// recall for time; no-op for an exact index.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The share is not in (0, 1], or fewer than one candidate.</exception>
    public void SetSearchEffort(double probeShare, int rerank)
    {
        (GalleryIndexOptions.Default with { ProbeShare = probeShare, Rerank = rerank }).Validate();
        if (_faces is not ProbedRows probed) return;
        _lock.EnterWriteLock();
        try { (probed.Probes, probed.Rerank) = (ProbesFor(probed.Compressed.Coder, probeShare), rerank); }
        finally { _lock.ExitWriteLock(); }
    }

    private static int ProbesFor(VectorCoder coder, double share) => Math.Max(1, (int)Math.Ceiling(coder.Coarse.Lists * share));

    private static GalleryIndex Compressed(string modelId, string directory, GalleryIndexOptions options, CompressedRows rows, IReadOnlyDictionary<long, string> names, IDisposable hold)
    {
        var coder = rows.Coder;
        var probes = ProbesFor(coder, options.ProbeShare);
        var faces = new ProbedRows(rows, probes, options.Rerank, options.BuildThreads);
        var meansPath = Path.Combine(directory, MeansFile);
        var index = new GalleryIndex(modelId, faces,
            persons => new ProbedRows(new CompressedRows(coder, RowFile.Create(meansPath, coder.Width, persons), persons), faces.Probes, faces.Rerank, options.BuildThreads),
            rows.Count, hold)
        { _directory = directory };
        // The summary needs every vector: one sequential pass over the file, a chunk at a time.
        const int Chunk = 8192;
        var vectors = new float[Chunk * coder.Width];
        for (var first = 0; first < rows.Count; first += Chunk)
        {
            var n = Math.Min(Chunk, rows.Count - first);
            rows.File.Read(first, vectors.AsSpan(0, n * coder.Width));
            for (var slot = first; slot < first + n; slot++)
            {
                var (face, owner) = (rows.IdAt(slot), rows.OwnerAt(slot));
                if (index._slotOfFace.TryGet(face, out _)) throw new ArgumentException($"face {face} comes twice");
                if (!names.TryGetValue(owner, out var name)) throw new ArgumentException($"person {owner} has no name");
                index._slotOfFace.Add(face, slot);
                index._summary.Add(owner, vectors.AsSpan((slot - first) * coder.Width, coder.Width));
                index._persons.Add(owner, name, slot);
            }
        }
        return index;
    }

    /// <summary>Writes the streamed vectors to the file in order, keeping ids, owners and names.</summary>
    private static (List<long> Ids, List<long> Owners, Dictionary<long, string> Names) Stream(RowFile file, Action<FaceVectorVisitor> load, int capacity)
    {
        const int Chunk = 8192;
        var buffer = new float[Chunk * FaceEmbedding.Dimensions];
        var (ids, owners, names) = (new List<long>(capacity), new List<long>(capacity), new Dictionary<long, string>());
        var pending = 0;
        void Flush()
        {
            file.Reserve(ids.Count);
            file.WriteMany(ids.Count - pending, buffer.AsSpan(0, pending * FaceEmbedding.Dimensions));
            pending = 0;
        }
        load((faceId, personId, personName, vector) =>
        {
            CheckLength(vector, nameof(vector));
            vector.CopyTo(buffer.AsSpan(pending * FaceEmbedding.Dimensions));
            ids.Add(faceId);
            owners.Add(personId);
            names[personId] = personName;
            if (++pending == Chunk) Flush();
        });
        Flush();
        return (ids, owners, names);
    }

    /// <summary>A seeded sample of the rows for training: every row when there are few.</summary>
    private static float[] Sample(RowFile file, int count, int lists)
    {
        var take = (int)Math.Min(count, (long)lists * TrainingRowsPerList);
        var width = FaceEmbedding.Dimensions;
        var sample = new float[take * width];
        if (take == count)
        {
            file.Read(0, sample);
            return sample;
        }
        var rng = new Random(TrainingSeed);
        var picked = new HashSet<int>();
        while (picked.Count < take) picked.Add(rng.Next(count));
        var i = 0;
        foreach (var slot in picked.Order()) file.Read(slot, sample.AsSpan(i++ * width, width));
        return sample;
    }

    /// <summary>An exclusive lock on a compressed index's directory, held while the index is open.</summary>
    private sealed class DirectoryHold(FileStream lockFile) : IDisposable
    {
        public static DirectoryHold Acquire(string directory)
        {
            System.IO.Directory.CreateDirectory(directory);
            // FileShare.None is an exclusive advisory lock on Unix: a second open, in any process, fails.
            return new DirectoryHold(new FileStream(Path.Combine(directory, LockFile), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
        }

        public void Dispose() => lockFile.Dispose();
    }
}
