namespace Visage.Video.Tests.Media;

/// <summary>A person to enroll for a timeline: their name and their photos other than the one drawn in the video.</summary>
/// <param name="Label">The person's name (their folder's).</param>
/// <param name="Photos">Photos to enroll them from; never the photo the video shows, so a match is a real recognition.</param>
public sealed record Enrollee(string Label, IReadOnlyList<string> Photos);

/// <summary>Who to enroll for a timeline, and further timelines with other people for accuracy runs.</summary>
public static class Casts
{
    /// <summary>The known people of <paramref name="timeline"/> with their other photos (strangers are left out).</summary>
    public static IReadOnlyList<Enrollee> Known(VideoTimeline timeline) =>
        timeline.Items.Where(i => !i.Stranger).DistinctBy(i => i.Label).Select(i => new Enrollee(i.Label, OtherPhotos(i.Photo))).ToList();

    /// <summary>
    /// <paramref name="count"/> standard timelines, each with three known people and a stranger drawn from the shared
    /// photos (people with at least two photos are known, so they can be enrolled from another one), no person in two
    /// timelines, in a fixed order.
    /// </summary>
    public static IReadOnlyList<VideoTimeline> Timelines(int count)
    {
        var photos = ReferenceFaces.OneFacePhotos();
        var enrollable = photos.Where(p => OtherPhotos(p).Count > 0).ToList();
        var others = photos.Except(enrollable).ToList();
        var timelines = new List<VideoTimeline>();
        for (var k = 0; k < count; k++)
        {
            var known = enrollable.Skip(4 * k).Take(3).ToList();
            // Strangers come from the people who cannot be enrolled, then from the enrollable ones left over.
            var stranger = k < others.Count ? others[k] : enrollable.ElementAtOrDefault(4 * k + 3);
            if (known.Count < 3 || stranger is null) throw new ArgumentException($"the shared photos hold {timelines.Count} casts, not {count}");
            timelines.Add(VideoTimeline.Standard(known, stranger));
        }
        return timelines;
    }

    private static List<string> OtherPhotos(string photo) =>
        Directory.GetFiles(Path.GetDirectoryName(photo)!, "*.jpg").Where(p => p != photo).Order(StringComparer.Ordinal).ToList();
}
