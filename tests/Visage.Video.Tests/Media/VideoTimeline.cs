namespace Visage.Video.Tests.Media;

/// <summary>Where a photo sits on screen: its center and its height, as fractions of the frame.</summary>
/// <param name="CenterX">Center, 0 = left edge, 1 = right edge.</param>
/// <param name="CenterY">Center, 0 = top, 1 = bottom.</param>
/// <param name="Height">Photo height / frame height (the width follows the photo's aspect ratio).</param>
public sealed record Placement(double CenterX, double CenterY, double Height)
{
    /// <summary>Linear blend towards <paramref name="to"/> (<paramref name="f"/> 0..1).</summary>
    public Placement Lerp(Placement to, double f) =>
        new(CenterX + (to.CenterX - CenterX) * f, CenterY + (to.CenterY - CenterY) * f, Height + (to.Height - Height) * f);
}

/// <summary>One person on screen from <paramref name="Start"/> to <paramref name="End"/>, moving and zooming linearly.</summary>
/// <param name="Label">Who it is (the person's folder name) — the ground truth's answer.</param>
/// <param name="Photo">The photo drawn (absolute path).</param>
/// <param name="Start">First second on screen.</param>
/// <param name="End">Second it leaves the screen.</param>
/// <param name="From">Placement at <paramref name="Start"/>.</param>
/// <param name="To">Placement at <paramref name="End"/>.</param>
/// <param name="Stranger">True for someone the tests do not enroll.</param>
public sealed record TimelineItem(string Label, string Photo, double Start, double End, Placement From, Placement To, bool Stranger = false)
{
    /// <summary>Placement at time <paramref name="t"/> (clamped to the item's span).</summary>
    public Placement At(double t) => From.Lerp(To, End > Start ? Math.Clamp((t - Start) / (End - Start), 0, 1) : 0);

    /// <summary>True when the item is on screen at <paramref name="t"/>.</summary>
    public bool OnScreen(double t) => t >= Start && t < End;
}

/// <summary>What a test video shows, second by second: the input of <see cref="TestVideo"/>.</summary>
/// <param name="Duration">Length in seconds.</param>
/// <param name="Items">People on screen; overlapping items are drawn together (later items on top).</param>
public sealed record VideoTimeline(double Duration, IReadOnlyList<TimelineItem> Items)
{
    /// <summary>
    /// The standard 20 s timeline: a second of empty scene, each known person in turn walking across with a
    /// slow zoom (3 s each, a short empty gap between), a stranger, two known people at once passing each other,
    /// and an empty tail. Faces are 90-150 px high at 720p.
    /// </summary>
    /// <param name="known">Photos of at least three people the tests enroll (label = the photo's folder name).</param>
    /// <param name="stranger">A photo of someone not enrolled.</param>
    public static VideoTimeline Standard(IReadOnlyList<string> known, string stranger)
    {
        if (known.Count < 3) throw new ArgumentException("the standard timeline needs photos of at least three known people");
        var items = new List<TimelineItem>();
        var t = 1.0;
        foreach (var photo in known.Take(3))
        {
            items.Add(new TimelineItem(LabelOf(photo), photo, t, t + 3, new Placement(0.3, 0.5, 0.55), new Placement(0.7, 0.48, 0.7)));
            t += 3.5;
        }
        items.Add(new TimelineItem(LabelOf(stranger), stranger, t, t + 3, new Placement(0.65, 0.5, 0.6), new Placement(0.4, 0.52, 0.65), Stranger: true));
        t += 3.5;
        // Two at once, walking past each other without overlapping vertically much.
        items.Add(new TimelineItem(LabelOf(known[0]), known[0], t, t + 4, new Placement(0.2, 0.42, 0.5), new Placement(0.75, 0.4, 0.5)));
        items.Add(new TimelineItem(LabelOf(known[1]), known[1], t, t + 4, new Placement(0.8, 0.6, 0.45), new Placement(0.25, 0.62, 0.45)));
        t += 4;
        return new VideoTimeline(Math.Ceiling(t + 1), items);
    }

    /// <summary>The person's name from a photo path: its folder (<c>faces/Barack_Obama/Barack_Obama_0001.jpg</c>).</summary>
    public static string LabelOf(string photo) => Path.GetFileName(Path.GetDirectoryName(photo)) ?? photo;

    /// <summary>Items on screen at <paramref name="t"/>.</summary>
    public IEnumerable<TimelineItem> OnScreen(double t) => Items.Where(i => i.OnScreen(t));
}
