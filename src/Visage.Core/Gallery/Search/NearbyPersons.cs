using Visage.Matching.OpenSet;

namespace Visage.Gallery.Search;

/// <summary>
/// The persons nearest a query by their mean descriptor, as <see cref="GalleryIndex.NearestPersons"/> read them with
/// the gallery's figures at one moment: what <see cref="OpenSetRule"/> decides from.
/// </summary>
/// <param name="Candidates">The nearest persons, ascending by distance to their mean.</param>
/// <param name="Names">Their names, in the same order.</param>
/// <param name="Statistics">The gallery's figures (<see cref="GallerySummary.Statistics"/>).</param>
public sealed record NearbyPersons(PersonCandidate[] Candidates, string[] Names, GalleryStatistics Statistics)
{
    /// <summary>The name of a listed person (null when the person is not among <see cref="Candidates"/>).</summary>
    public string? NameOf(long personId)
    {
        for (var i = 0; i < Candidates.Length; i++)
            if (Candidates[i].PersonId == personId) return Names[i];
        return null;
    }
}
