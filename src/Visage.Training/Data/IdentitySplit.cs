namespace Visage.Training.Data;

/// <summary>
/// Splits by identity, never by photo: the people a head is validated or tested on are people it never saw, which is
/// the question a user asks ("will it work on someone I enroll later?").
/// </summary>
public static class IdentitySplit
{
    /// <summary>
    /// Puts about <paramref name="fraction"/> of the identities (at least one, and at least one left over when there
    /// are two or more) in the second part, chosen by a seeded shuffle.
    /// </summary>
    /// <returns>Row indices of each part, ascending.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The fraction is not in [0, 1).</exception>
    public static (int[] First, int[] Second) Split(IReadOnlyList<int> labels, double fraction, int seed)
    {
        if (!(fraction >= 0 && fraction < 1)) throw new ArgumentOutOfRangeException(nameof(fraction), fraction, "the fraction must be in [0, 1)");
        var identities = labels.Distinct().Order().ToArray();
        new Random(seed).Shuffle(identities);
        var count = fraction == 0 ? 0 : Math.Clamp((int)Math.Round(identities.Length * fraction), 1, Math.Max(1, identities.Length - 1));
        var second = identities.Take(count).ToHashSet();
        var a = new List<int>();
        var b = new List<int>();
        for (var i = 0; i < labels.Count; i++) (second.Contains(labels[i]) ? b : a).Add(i);
        return ([.. a], [.. b]);
    }

    /// <summary>Assigns each identity to one of <paramref name="folds"/> folds by a seeded shuffle; returns the fold of each row.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Fewer than two folds, or more folds than identities.</exception>
    public static int[] Folds(IReadOnlyList<int> labels, int folds, int seed)
    {
        var identities = labels.Distinct().Order().ToArray();
        if (folds < 2 || folds > identities.Length) throw new ArgumentOutOfRangeException(nameof(folds), folds, $"folds must be between 2 and the number of identities ({identities.Length})");
        new Random(seed).Shuffle(identities);
        var foldOf = new Dictionary<int, int>();
        for (var k = 0; k < identities.Length; k++) foldOf[identities[k]] = k % folds;
        return labels.Select(l => foldOf[l]).ToArray();
    }
}
