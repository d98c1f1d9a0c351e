using Visage.Faces;
using Visage.Video.Tracking;

namespace Visage.Video.Tests.Tracking;

/// <summary>
/// Drives a tracker and its events with synthetic faces, as the pipeline would: each frame's faces go in, the
/// descriptors the tracker asks for are computed (here: the person's vector plus noise), then the events come out.
/// </summary>
public sealed class Scene
{
    /// <summary>How the scene computes descriptors.</summary>
    public enum Describe
    {
        /// <summary>Never: the tracker has boxes only.</summary>
        None,

        /// <summary>Where the tracker says they are due, after association (the cheap way).</summary>
        WhenDue,

        /// <summary>For every face before association, so the tracker can tell faces apart by them.</summary>
        EveryFace,
    }

    public const double Fps = 25;
    private readonly Random _noise = new(7);
    private readonly Describe _describe;

    public Scene(Describe describe = Describe.WhenDue, FaceTrackerOptions? options = null, Func<IReadOnlyList<float[]>, TrackDecision>? decide = null)
    {
        _describe = describe;
        Tracker = new FaceTracker(options);
        Events = new AppearanceEvents("door", decide ?? Decide);
    }

    public FaceTracker Tracker { get; }

    public AppearanceEvents Events { get; }

    public List<AppearanceEvent> All { get; } = [];

    /// <summary>Which track each labelled face went to, frame by frame.</summary>
    public List<(long Frame, string Who, long Track)> Assigned { get; } = [];

    /// <summary>Descriptor requests per track.</summary>
    public Dictionary<long, List<long>> Described { get; } = [];

    /// <summary>People the decision knows (the rest are strangers).</summary>
    public static readonly string[] Known = ["alice", "bob"];

    public void Frame(long index, params (string Who, BoundingBox Box)[] faces)
    {
        var stamp = new FrameStamp(index, index / Fps);
        var update = Tracker.Update(faces.Select(f => new FaceObservation(f.Box, 0.9, Descriptor: _describe == Describe.EveryFace ? Descriptor(f.Who) : null)).ToList(), stamp);
        foreach (var a in update.Assignments)
        {
            Assigned.Add((index, faces[a.Observation].Who, a.Track.Id));
            if (!a.DescriptorDue || _describe != Describe.WhenDue) continue;
            a.Track.AddDescriptor(index, Descriptor(faces[a.Observation].Who));
            (Described.TryGetValue(a.Track.Id, out var l) ? l : Described[a.Track.Id] = []).Add(index);
        }
        All.AddRange(Events.Process(update));
    }

    public void End(long index) => All.AddRange(Events.Process(Tracker.EndAll(new FrameStamp(index, index / Fps))));

    public IEnumerable<long> TracksOf(string who) => Assigned.Where(a => a.Who == who).Select(a => a.Track).Distinct();

    /// <summary>A fixed random unit vector per person (persons' vectors are about 1.4 apart).</summary>
    public static float[] PersonVector(string who)
    {
        var rng = new Random(who.GetHashCode(StringComparison.Ordinal) & 0x7fffffff);
        var v = Enumerable.Range(0, 128).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();
        var norm = MathF.Sqrt(v.Sum(x => x * x));
        return v.Select(x => x / norm).ToArray();
    }

    // Same person: about 0.2 from their vector.
    private float[] Descriptor(string who) =>
        PersonVector(who).Select(x => x + (float)((_noise.NextDouble() * 2 - 1) * 0.03)).ToArray();

    /// <summary>The nearest known person's name when the mean descriptor is within 0.6, else unknown.</summary>
    public static TrackDecision Decide(IReadOnlyList<float[]> descriptors)
    {
        var mean = new float[128];
        foreach (var d in descriptors) for (var i = 0; i < 128; i++) mean[i] += d[i] / descriptors.Count;
        var (name, distance) = Known.Select((n, i) => (n, Distance(mean, PersonVector(n)))).MinBy(p => p.Item2);
        return distance < 0.6 ? new TrackDecision(name, Array.IndexOf(Known, name) + 1, 1 - distance, distance) : TrackDecision.Unknown(distance);
    }

    private static double Distance(float[] a, float[] b) => Math.Sqrt(a.Zip(b).Sum(p => (p.First - p.Second) * (p.First - p.Second)));
}
