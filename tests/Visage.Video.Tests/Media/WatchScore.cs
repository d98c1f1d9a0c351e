using Visage.Faces;
using Visage.Video.Tracking;

namespace Visage.Video.Tests.Media;

/// <summary>One track as its events tell it: when it was seen, where it was last, and who it was decided to be.</summary>
/// <param name="Track">The track's id.</param>
/// <param name="Start">First second seen (media time).</param>
/// <param name="End">Last second seen.</param>
/// <param name="Left">Its <c>left</c> event.</param>
/// <param name="Identified">How many <c>identified</c> events it had (one is right).</param>
/// <param name="Appeared">How many <c>appeared</c> events it had (one is right).</param>
public sealed record EventTrack(long Track, double Start, double End, AppearanceEvent Left, int Identified, int Appeared)
{
    /// <summary>The name it was given (null: unknown).</summary>
    public string? Name => Left.Decision?.Name;
}

/// <summary>
/// The events of a watched file scored against its ground truth: each track goes to the appearance on screen at the
/// same time whose face was where the track's last box is; an appearance is named correctly when it has tracks and all
/// of them carry its name (or none, for a stranger). Tracks of faces the ground truth does not list (a bystander in
/// the background of a drawn photo, a false detection) are counted apart and must not be named.
/// </summary>
/// <param name="Appearances">Appearances in the ground truth.</param>
/// <param name="Known">Appearances of enrolled people.</param>
/// <param name="NamedCorrectly">Known appearances all of whose tracks carry the right name.</param>
/// <param name="Strangers">Appearances of strangers.</param>
/// <param name="StrangersNamed">Stranger appearances one of whose tracks carries a name.</param>
/// <param name="Tracks">Tracks reported (each an appeared/identified/left sequence).</param>
/// <param name="Unmatched">Tracks of faces the ground truth does not list (bystanders in the drawn photos, false detections).</param>
/// <param name="Problems">One line per wrong or missing answer, for assertion messages.</param>
/// <param name="Matched">The appearance each track was given to (tracks on an empty screen are left out).</param>
public sealed record WatchScore(int Appearances, int Known, int NamedCorrectly, int Strangers, int StrangersNamed, int Tracks, int Unmatched,
    IReadOnlyList<string> Problems, IReadOnlyDictionary<long, TruthAppearance> Matched)
{
    /// <summary>Share of known appearances named correctly.</summary>
    public double NamedShare => Known == 0 ? 1 : (double)NamedCorrectly / Known;

    /// <summary>Event sequences of listed faces per appearance (1 is right: one appeared/identified/left per appearance).</summary>
    public double EventsPerAppearance => Appearances == 0 ? 0 : (double)(Tracks - Unmatched) / Appearances;

    /// <summary>Groups events by track (every track must have left: the watcher closes them all at the end).</summary>
    public static IReadOnlyList<EventTrack> TracksOf(IEnumerable<AppearanceEvent> events) =>
        events.GroupBy(e => e.Track)
            .Where(g => g.Any(e => e.Kind == AppearanceEventKind.Left))
            .Select(g =>
            {
                var left = g.Single(e => e.Kind == AppearanceEventKind.Left);
                var end = left.Time.Seconds;
                return new EventTrack(g.Key, end - (left.DurationSeconds ?? 0), end, left,
                    g.Count(e => e.Kind == AppearanceEventKind.Identified), g.Count(e => e.Kind == AppearanceEventKind.Appeared));
            })
            .OrderBy(t => t.Start).ToList();

    /// <summary>Scores the events of one watched file against its ground truth.</summary>
    /// <param name="truth">The video's ground truth.</param>
    /// <param name="events">Every event of the watch.</param>
    /// <param name="scale">Frame width delivered / video width, when the reader scaled the frames down (a 1080p video read at 1280 wide: 2/3).</param>
    public static WatchScore Of(GroundTruth truth, IEnumerable<AppearanceEvent> events, double scale = 1)
    {
        var tracks = TracksOf(events);
        var byAppearance = truth.Appearances.ToDictionary(a => a, _ => new List<EventTrack>());
        var problems = new List<string>();
        var matched = new Dictionary<long, TruthAppearance>();
        var unmatched = 0;
        foreach (var track in tracks)
        {
            if (track.Identified != 1 || track.Appeared != 1)
                problems.Add($"track {track.Track}: {track.Appeared} appeared and {track.Identified} identified events");
            // The appearance on screen then whose face was where the track ended (its center within 0.6 face sides
            // of the truth's: detectors draw their boxes differently, and a face in the background of a drawn photo
            // is no one's appearance).
            var last = track.Left.Box.Center;
            var best = truth.Appearances.Where(a => a.Start < track.End + 0.2 && a.End > track.Start - 0.2)
                .Select(a => (Appearance: a, Box: Scaled(a.BoxAt(Math.Min(track.End, a.End - 0.01)), scale)))
                .Where(c => c.Box.Center.DistanceTo(last) <= 0.6 * Math.Max(c.Box.Width, c.Box.Height))
                .OrderBy(c => c.Box.Center.DistanceTo(last)).Select(c => c.Appearance).FirstOrDefault();
            if (best is null)
            {
                unmatched++;
                // A face the ground truth does not list (a bystander in a drawn photo, a false detection) must stay unnamed.
                if (track.Name is not null) problems.Add($"track {track.Track} ({track.Start:0.0}-{track.End:0.0} s) on no listed face named {track.Name}");
                continue;
            }
            byAppearance[best].Add(track);
            matched[track.Track] = best;
        }

        int named = 0, strangersNamed = 0;
        foreach (var (appearance, tracksOf) in byAppearance)
        {
            var names = string.Join(", ", tracksOf.Select(t => t.Name ?? "unknown"));
            if (appearance.Stranger)
            {
                if (tracksOf.Any(t => t.Name is not null))
                {
                    strangersNamed++;
                    problems.Add($"stranger {appearance.Label} at {appearance.Start:0.0} s named {names}");
                }
            }
            else if (tracksOf.Count > 0 && tracksOf.All(t => t.Name == appearance.Label)) named++;
            else problems.Add($"{appearance.Label} at {appearance.Start:0.0} s: {(tracksOf.Count == 0 ? "no track" : names)}");
        }
        var known = truth.Appearances.Count(a => !a.Stranger);
        return new WatchScore(truth.Appearances.Count, known, named, truth.Appearances.Count - known, strangersNamed, tracks.Count, unmatched, problems, matched);
    }

    private static BoundingBox Scaled(BoundingBox b, double scale) => new(b.X * scale, b.Y * scale, b.Width * scale, b.Height * scale);
}
