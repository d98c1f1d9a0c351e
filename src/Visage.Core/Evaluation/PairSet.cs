namespace Visage.Evaluation;

/// <summary>Two photos of a dataset and whether they show the same person.</summary>
/// <param name="A">Index of the first photo in <see cref="FaceDataset.Photos"/>.</param>
/// <param name="B">Index of the second photo.</param>
/// <param name="Same">True for a same-person pair.</param>
/// <param name="Fold">Cross-validation fold, 0-based.</param>
public readonly record struct LabeledPair(int A, int B, bool Same, int Fold);

/// <summary>The pairs of a verification run, their fold count and where they came from.</summary>
/// <param name="Pairs">The pairs.</param>
/// <param name="FoldCount">Number of cross-validation folds.</param>
/// <param name="Source">How the pairs were made, for reports (<c>pairs.txt: ...</c> or <c>generated: ...</c>).</param>
public sealed record PairSet(IReadOnlyList<LabeledPair> Pairs, int FoldCount, string Source)
{
    /// <summary>The default number of folds (the LFW protocol's ten).</summary>
    public const int DefaultFolds = 10;

    /// <summary>The seed used when none is given.</summary>
    public const int DefaultSeed = 7;

    /// <summary>
    /// Reads an LFW <c>pairs.txt</c>: a header <c>S N</c> (S sets of N same-person then N different-person lines;
    /// a lone <c>N</c> means one set), then <c>name i j</c> and <c>name1 i name2 j</c> lines with 1-based indexes
    /// into each folder's sorted files. With ten or more sets each set is a fold, as in LFW; with fewer, the pairs are
    /// dealt into <see cref="DefaultFolds"/> folds, stratified and seeded.
    /// </summary>
    /// <exception cref="FormatException">A line is malformed or the counts do not match the header.</exception>
    /// <exception cref="KeyNotFoundException">A pair names a person or photo the dataset lacks.</exception>
    public static PairSet Parse(string path, FaceDataset dataset, int seed = DefaultSeed)
    {
        var lines = File.ReadAllLines(path).Where(l => l.Trim().Length > 0).ToList();
        if (lines.Count == 0) throw new FormatException($"{path} is empty");
        var header = Fields(lines[0]);
        var (sets, perKind) = header.Length switch
        {
            1 => (1, Int(header[0], path, 1)),
            2 => (Int(header[0], path, 1), Int(header[1], path, 1)),
            _ => throw new FormatException($"{path}:1: expected 'sets pairs-per-kind', got '{lines[0]}'"),
        };
        if (lines.Count - 1 != sets * perKind * 2)
            throw new FormatException($"{path}: the header promises {sets} x 2 x {perKind} pairs, the file has {lines.Count - 1}");

        var pairs = new List<LabeledPair>(lines.Count - 1);
        for (var i = 1; i < lines.Count; i++)
        {
            var f = Fields(lines[i]);
            var set = (i - 1) / (2 * perKind);
            var pair = f.Length switch
            {
                3 => new LabeledPair(dataset.Photo(f[0], Int(f[1], path, i + 1)).Index, dataset.Photo(f[0], Int(f[2], path, i + 1)).Index, true, set),
                4 => new LabeledPair(dataset.Photo(f[0], Int(f[1], path, i + 1)).Index, dataset.Photo(f[2], Int(f[3], path, i + 1)).Index, false, set),
                _ => throw new FormatException($"{path}:{i + 1}: expected 'name i j' or 'name1 i name2 j', got '{lines[i]}'"),
            };
            pairs.Add(pair);
        }
        var name = Path.GetFileName(path);
        if (sets >= DefaultFolds)
            return new PairSet(pairs, sets, $"{name}: {pairs.Count} pairs in {sets} sets, one fold per set");
        return new PairSet(Deal(pairs, DefaultFolds, seed), DefaultFolds,
            $"{name}: {pairs.Count} pairs ({sets} set{(sets == 1 ? "" : "s")}), dealt into {DefaultFolds} stratified folds (seed {seed})");
    }

    /// <summary>
    /// Balanced pairs made from the dataset itself: every same-person pair (up to <paramref name="maxPerKind"/>, a
    /// seeded sample beyond that) and as many different-person pairs drawn at random, seeded and without repeats.
    /// </summary>
    /// <exception cref="ArgumentException">No person has two photos, or fewer than two persons.</exception>
    public static PairSet Generate(FaceDataset dataset, int seed = DefaultSeed, int maxPerKind = 3000)
    {
        var rng = new Random(seed);
        var same = new List<LabeledPair>();
        foreach (var p in dataset.Persons)
            for (var i = 0; i < p.Photos.Count; i++)
                for (var j = i + 1; j < p.Photos.Count; j++)
                    same.Add(new LabeledPair(p.Photos[i], p.Photos[j], true, 0));
        if (same.Count == 0 || dataset.Persons.Count < 2) throw new ArgumentException("need two photos of one person and at least two persons to make pairs");
        Shuffle(same, rng);
        if (same.Count > maxPerKind) same.RemoveRange(maxPerKind, same.Count - maxPerKind);

        var possible = (long)dataset.Photos.Count * (dataset.Photos.Count - 1) / 2 - same.Count;
        var wanted = (int)Math.Min(same.Count, possible);
        var seen = new HashSet<(int, int)>();
        var different = new List<LabeledPair>(wanted);
        while (different.Count < wanted)
        {
            int a = rng.Next(dataset.Photos.Count), b = rng.Next(dataset.Photos.Count);
            if (dataset.Photos[a].Person == dataset.Photos[b].Person) continue;
            if (!seen.Add((Math.Min(a, b), Math.Max(a, b)))) continue;
            different.Add(new LabeledPair(a, b, false, 0));
        }
        var pairs = Deal([.. same, .. different], DefaultFolds, seed);
        return new PairSet(pairs, DefaultFolds,
            $"generated: {same.Count} same-person and {different.Count} different-person pairs (seed {seed}), {DefaultFolds} stratified folds");
    }

    /// <summary>Assigns folds: each kind shuffled (seeded) and dealt round-robin, so every fold is balanced.</summary>
    private static List<LabeledPair> Deal(List<LabeledPair> pairs, int folds, int seed)
    {
        var rng = new Random(seed);
        var result = new List<LabeledPair>(pairs.Count);
        foreach (var kind in new[] { true, false })
        {
            var idx = new List<int>();
            for (var i = 0; i < pairs.Count; i++)
                if (pairs[i].Same == kind) idx.Add(i);
            Shuffle(idx, rng);
            for (var k = 0; k < idx.Count; k++) result.Add(pairs[idx[k]] with { Fold = k % folds });
        }
        return result;
    }

    private static void Shuffle<T>(List<T> list, Random rng)
    {
        for (var i = list.Count - 1; i > 0; i--)
        {
            var j = rng.Next(i + 1);
            (list[i], list[j]) = (list[j], list[i]);
        }
    }

    private static string[] Fields(string line) => line.Split(['\t', ' '], StringSplitOptions.RemoveEmptyEntries);

    private static int Int(string s, string path, int line) =>
        int.TryParse(s, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var v)
            ? v : throw new FormatException($"{path}:{line}: '{s}' is not a number");
}
