namespace Visage.Evaluation.OpenSet;

/// <summary>One gallery dealt from held-out persons.</summary>
/// <param name="Persons">Enrolled persons (dataset person indices).</param>
/// <param name="Enrolled">Per enrolled person, the photos enrolled.</param>
/// <param name="KnownProbes">The enrolled persons' other photos.</param>
/// <param name="StrangerProbes">Every photo of the held-out persons not enrolled.</param>
public sealed record GalleryDeal(int[] Persons, int[][] Enrolled, int[] KnownProbes, int[] StrangerProbes);

/// <summary>
/// Deals galleries the way people enroll: a fifth of the held-out persons are strangers (never enrolled); of the
/// others, G persons who have more than K photos with a face are enrolled with K of them, and their other photos are
/// probes. "Half" enrolls every non-stranger with half their photos (rounded down, 1 to 3).
/// </summary>
public static class OpenSetDealer
{
    /// <summary>K meaning "half of each person's photos, 1 to 3" (issue 19's first target).</summary>
    public const int Half = 0;

    /// <summary>G meaning "every held-out person who qualifies".</summary>
    public const int All = 0;

    /// <summary>Splits the persons into calibration and held-out (the first <paramref name="heldOut"/> of a seeded shuffle).</summary>
    public static (int[] Calibration, int[] HeldOut) Split(int persons, int heldOut, Random rng)
    {
        var order = Enumerable.Range(0, persons).ToArray();
        rng.Shuffle(order);
        return (order[heldOut..], order[..heldOut]);
    }

    /// <summary>One gallery from <paramref name="heldOut"/>, or null when too few persons qualify for G.</summary>
    /// <param name="photosWithFace">Per person, their photos in which a face was found.</param>
    /// <param name="photosOf">Per person, all their photos (probes without a face still count).</param>
    /// <param name="heldOut">The held-out persons.</param>
    /// <param name="strangers">How many of them are strangers.</param>
    /// <param name="faces">K, or <see cref="Half"/>.</param>
    /// <param name="gallery">G, or <see cref="All"/>.</param>
    /// <param name="rng">The seeded source.</param>
    public static GalleryDeal? Deal(IReadOnlyList<int[]> photosWithFace, IReadOnlyList<int[]> photosOf, int[] heldOut, int strangers, int faces, int gallery, Random rng)
    {
        var order = heldOut.ToArray();
        rng.Shuffle(order);
        var strangerPersons = order[..strangers];
        var eligible = order[strangers..].Where(p => photosWithFace[p].Length > Math.Max(1, faces)).ToArray();
        if (gallery != All && eligible.Length < gallery) return null;
        var persons = gallery == All ? eligible : eligible[..gallery];
        if (persons.Length == 0) return null;
        var enrolled = new int[persons.Length][];
        var known = new List<int>();
        for (var i = 0; i < persons.Length; i++)
        {
            var withFace = photosWithFace[persons[i]].ToArray();
            rng.Shuffle(withFace);
            var k = faces == Half ? Math.Min(Math.Clamp(photosOf[persons[i]].Length / 2, 1, 3), withFace.Length - 1) : faces;
            enrolled[i] = withFace[..k];
            known.AddRange(photosOf[persons[i]].Where(photo => Array.IndexOf(enrolled[i], photo) < 0));
        }
        return new GalleryDeal(persons, enrolled, [.. known], [.. strangerPersons.SelectMany(p => photosOf[p])]);
    }
}
