namespace Visage.Evaluation;

/// <summary>One labeled photo of a <see cref="FaceDataset"/>.</summary>
/// <param name="Index">Position in <see cref="FaceDataset.Photos"/>.</param>
/// <param name="Person">Index of its person in <see cref="FaceDataset.Persons"/>.</param>
/// <param name="Path">Full path.</param>
/// <param name="Name">Path relative to the dataset root, <c>person/file</c>.</param>
public sealed record DatasetPhoto(int Index, int Person, string Path, string Name);

/// <summary>A person's folder: the name and the indices of its photos in sorted file order.</summary>
/// <param name="Name">The folder name.</param>
/// <param name="Photos">Indices into <see cref="FaceDataset.Photos"/>, in ordinal file-name order.</param>
public sealed record DatasetPerson(string Name, IReadOnlyList<int> Photos);

/// <summary>A labeled face set in the LFW layout: one folder per person holding that person's photos.</summary>
public sealed class FaceDataset
{
    /// <summary>File extensions taken as photos.</summary>
    public static readonly string[] Extensions = [".jpg", ".jpeg", ".png", ".webp", ".bmp", ".gif"];

    private readonly Dictionary<string, int> _personIndex;

    private FaceDataset(string root, List<DatasetPerson> persons, List<DatasetPhoto> photos)
    {
        Root = root;
        Persons = persons;
        Photos = photos;
        _personIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < persons.Count; i++) _personIndex[persons[i].Name] = i;
    }

    /// <summary>The folder the set was read from.</summary>
    public string Root { get; }

    /// <summary>Persons in ordinal name order (folders holding at least one photo).</summary>
    public IReadOnlyList<DatasetPerson> Persons { get; }

    /// <summary>All photos, person by person.</summary>
    public IReadOnlyList<DatasetPhoto> Photos { get; }

    /// <summary>Reads the folder layout (no image is decoded).</summary>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    /// <exception cref="ArgumentException">No sub-folder holds a photo.</exception>
    public static FaceDataset Load(string root)
    {
        if (!Directory.Exists(root)) throw new DirectoryNotFoundException($"folder not found: {root}");
        var persons = new List<DatasetPerson>();
        var photos = new List<DatasetPhoto>();
        foreach (var dir in Directory.GetDirectories(root).Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileName(dir);
            var files = Directory.GetFiles(dir).Where(IsPhoto).Order(StringComparer.Ordinal).ToList();
            if (files.Count == 0) continue;
            var indices = new List<int>(files.Count);
            foreach (var f in files)
            {
                indices.Add(photos.Count);
                photos.Add(new DatasetPhoto(photos.Count, persons.Count, f, $"{name}/{Path.GetFileName(f)}"));
            }
            persons.Add(new DatasetPerson(name, indices));
        }
        if (photos.Count == 0) throw new ArgumentException($"{root} holds no person folders with photos (expected one folder per person)");
        return new FaceDataset(Path.GetFullPath(root), persons, photos);
    }

    /// <summary>The photo at a 1-based position in a person's sorted files (the LFW pairs.txt convention).</summary>
    /// <exception cref="KeyNotFoundException">No such person or position.</exception>
    public DatasetPhoto Photo(string person, int oneBased)
    {
        if (!_personIndex.TryGetValue(person, out var p)) throw new KeyNotFoundException($"no folder '{person}' in {Root}");
        var list = Persons[p].Photos;
        if (oneBased < 1 || oneBased > list.Count) throw new KeyNotFoundException($"'{person}' has {list.Count} photo(s), no number {oneBased}");
        return Photos[list[oneBased - 1]];
    }

    private static bool IsPhoto(string path) => Extensions.Contains(Path.GetExtension(path).ToLowerInvariant());
}
