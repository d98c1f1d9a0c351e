using System.Text.Json;
using Visage.Faces;

namespace Visage.Video.Tests.Media;

/// <summary>One person's time on screen in a generated video, with where their face is.</summary>
/// <param name="Label">Who (the photo's folder name).</param>
/// <param name="Stranger">True for someone the tests do not enroll.</param>
/// <param name="Start">First second on screen (frame <c>k</c> shows time <c>k / fps</c>).</param>
/// <param name="End">Second it left.</param>
/// <param name="StartBox">Face box in frame pixels at <paramref name="Start"/> (the reference face box of the photo, placed).</param>
/// <param name="EndBox">Face box at <paramref name="End"/>; in between the box moves linearly.</param>
/// <param name="Photo">The photo drawn.</param>
public sealed record TruthAppearance(string Label, bool Stranger, double Start, double End, BoundingBox StartBox, BoundingBox EndBox, string Photo)
{
    /// <summary>The face box at time <paramref name="t"/>.</summary>
    public BoundingBox BoxAt(double t)
    {
        var f = End > Start ? Math.Clamp((t - Start) / (End - Start), 0, 1) : 0;
        return new BoundingBox(
            StartBox.X + (EndBox.X - StartBox.X) * f, StartBox.Y + (EndBox.Y - StartBox.Y) * f,
            StartBox.Width + (EndBox.Width - StartBox.Width) * f, StartBox.Height + (EndBox.Height - StartBox.Height) * f);
    }

    /// <summary>True when on screen at <paramref name="t"/>.</summary>
    public bool OnScreen(double t) => t >= Start && t < End;
}

/// <summary>
/// Who is on screen when, and where, in a generated video; written as JSON beside it (<c>video.mp4</c> ->
/// <c>video.json</c>) so that end-to-end tests and benchmarks score against it.
/// </summary>
/// <param name="Video">The video file.</param>
/// <param name="Width">Frame width.</param>
/// <param name="Height">Frame height.</param>
/// <param name="Fps">Frames per second (constant).</param>
/// <param name="FrameCount">Frames in the video.</param>
/// <param name="Appearances">Every appearance, in order of start.</param>
public sealed record GroundTruth(string Video, int Width, int Height, int Fps, int FrameCount, IReadOnlyList<TruthAppearance> Appearances)
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    /// <summary>Length in seconds.</summary>
    public double Duration => (double)FrameCount / Fps;

    /// <summary>The appearances on screen at time <paramref name="t"/>.</summary>
    public IEnumerable<TruthAppearance> At(double t) => Appearances.Where(a => a.OnScreen(t));

    /// <summary>Where the ground truth of a video is kept: beside it, same name, <c>.json</c>.</summary>
    public static string PathFor(string video) => Path.ChangeExtension(video, ".json");

    /// <summary>Writes the JSON beside the video.</summary>
    public void Save() => File.WriteAllText(PathFor(Video), JsonSerializer.Serialize(this, Json));

    /// <summary>Reads the ground truth of a generated video.</summary>
    public static GroundTruth Load(string video) =>
        JsonSerializer.Deserialize<GroundTruth>(File.ReadAllText(PathFor(video)), Json) ?? throw new InvalidDataException($"no ground truth for {video}");
}
