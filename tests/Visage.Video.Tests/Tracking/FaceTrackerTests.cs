using Visage.Faces;
using Visage.Video.Tracking;

namespace Visage.Video.Tests.Tracking;

public sealed class FaceTrackerTests
{
    private static BoundingBox Box(double x, double y, double size = 100) => new(x, y, size, size);

    [Fact]
    public void OnePersonCrossing_IsOneTrackWithOneAppearedIdentifiedLeft()
    {
        var scene = new Scene();
        for (var k = 0; k < 50; k++) scene.Frame(k, ("alice", Box(100 + 10 * k, 200)));
        for (var k = 50; k < 70; k++) scene.Frame(k);

        Assert.Single(scene.TracksOf("alice"));
        Assert.Equal(["appeared", "identified", "left"], scene.All.Select(e => e.EventName));
        Assert.All(scene.All, e => Assert.Equal(scene.TracksOf("alice").Single(), e.Track));
        var (appeared, identified, left) = (scene.All[0], scene.All[1], scene.All[2]);
        Assert.Equal(2 / Scene.Fps, appeared.Time.Seconds, 9); // third sight: MinHits 3
        Assert.Equal("alice", identified.Decision!.Name);
        Assert.Equal(50, left.Frames);
        Assert.Equal(49 / Scene.Fps, left.DurationSeconds!.Value, 9);
        Assert.Equal(49 / Scene.Fps, left.Time.Seconds, 9); // the last sight, not the frame the track was given up
        Assert.Equal(Box(590, 200), left.Box);
    }

    [Theory]
    [InlineData(Scene.Describe.None)]
    [InlineData(Scene.Describe.WhenDue)]
    public void TwoPeopleCrossing_KeepTheirTracks(Scene.Describe describe)
    {
        var scene = new Scene(describe);
        // Alice walks right, Bob walks left, 30 px lower: their boxes overlap heavily around frame 25.
        for (var k = 0; k < 50; k++) scene.Frame(k, ("alice", Box(100 + 12 * k, 200)), ("bob", Box(700 - 12 * k, 230)));
        scene.End(50);

        var alice = Assert.Single(scene.TracksOf("alice"));
        var bob = Assert.Single(scene.TracksOf("bob"));
        Assert.NotEqual(alice, bob);
        Assert.Equal(6, scene.All.Count);
        Assert.Equal(2, scene.All.Count(e => e.Kind == AppearanceEventKind.Left));
        if (describe == Scene.Describe.WhenDue)
        {
            var names = scene.All.Where(e => e.Kind == AppearanceEventKind.Identified).ToDictionary(e => e.Track, e => e.Decision!.Name);
            Assert.Equal("alice", names[alice]);
            Assert.Equal("bob", names[bob]);
        }
    }

    [Theory]
    [InlineData(Scene.Describe.EveryFace, false)]
    [InlineData(Scene.Describe.None, true)]
    public void SomeoneElseSteppingIntoALostFacesPlace_IsNotTakenForItWhenDescriptorsAreThere(Scene.Describe describe, bool swapped)
    {
        // Alice turns away (undetected) and Bob steps into her place a few frames later. By overlap alone her lost
        // track takes his face and the two become one appearance; his descriptor vetoes that.
        var scene = new Scene(describe);
        for (var k = 0; k < 20; k++) scene.Frame(k, ("alice", Box(300, 200)));
        for (var k = 20; k < 23; k++) scene.Frame(k);
        for (var k = 23; k < 45; k++) scene.Frame(k, ("bob", Box(310, 205)));
        scene.End(45);

        Assert.Equal(swapped, scene.TracksOf("bob").Intersect(scene.TracksOf("alice")).Any());
        Assert.Equal(swapped ? 3 : 6, scene.All.Count);
    }

    [Fact]
    public void BriefOcclusion_DoesNotSplitTheTrack()
    {
        var scene = new Scene();
        for (var k = 0; k < 45; k++)
            if (k is < 20 or >= 25) scene.Frame(k, ("alice", Box(100 + 8 * k, 200)));
            else scene.Frame(k); // behind a pillar for 5 frames, still walking
        scene.End(45);

        Assert.Single(scene.TracksOf("alice"));
        Assert.Equal(["appeared", "identified", "left"], scene.All.Select(e => e.EventName));
        Assert.Equal(40, scene.All[2].Frames);
    }

    [Fact]
    public void LongAbsence_IsTwoAppearances()
    {
        var scene = new Scene();
        for (var k = 0; k < 20; k++) scene.Frame(k, ("alice", Box(300, 200)));
        for (var k = 20; k < 60; k++) scene.Frame(k);
        for (var k = 60; k < 80; k++) scene.Frame(k, ("alice", Box(300, 200)));
        scene.End(80);

        Assert.Equal(2, scene.TracksOf("alice").Count());
        Assert.Equal(["appeared", "identified", "left", "appeared", "identified", "left"], scene.All.Select(e => e.EventName));
    }

    [Fact]
    public void MaxGapSeconds_EndsATrackOfASlowSourceWhateverTheFrameCount()
    {
        var tracker = new FaceTracker(new FaceTrackerOptions { MinHits = 1, MaxGapSeconds = 2 });
        tracker.Update([new FaceObservation(Box(0, 0), 0.9)], new FrameStamp(0, 0));
        var update = tracker.Update([], new FrameStamp(1, 2.5)); // one frame later, but 2.5 s later (a snapshot camera)
        Assert.Single(update.Ended);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void DetectorFlicker_MakesNoEvent(int flickerFrames)
    {
        var scene = new Scene();
        for (var k = 0; k < 30; k++)
            if (k >= 10 && k < 10 + flickerFrames) scene.Frame(k, ("alice", Box(300, 200)), ("ghost", Box(900, 500, 40)));
            else scene.Frame(k, ("alice", Box(300, 200)));
        scene.End(30);

        Assert.Equal(["appeared", "identified", "left"], scene.All.Select(e => e.EventName));
        var ghost = Assert.Single(scene.TracksOf("ghost"));
        Assert.DoesNotContain(scene.All, e => e.Track == ghost);
    }

    [Fact]
    public void Stranger_IsIdentifiedAsUnknown()
    {
        var scene = new Scene();
        for (var k = 0; k < 30; k++) scene.Frame(k, ("carol", Box(300, 200)));
        scene.End(30);

        var identified = Assert.Single(scene.All, e => e.Kind == AppearanceEventKind.Identified);
        Assert.Null(identified.Decision!.Name);
        Assert.Null(identified.Decision.PersonId);
        Assert.True(identified.Decision.Distance > 0.6);
    }

    [Fact]
    public void Descriptors_AreDueForANewTrackThenEveryIntervalUntilTheBestFramesAreFull()
    {
        var scene = new Scene(options: new FaceTrackerOptions { DescriptorInterval = 5, BestFrames = 4 });
        for (var k = 0; k < 40; k++) scene.Frame(k, ("alice", Box(300, 200)));

        var track = Assert.Single(scene.Tracker.Tracks);
        // Same quality every frame: frames 0, 5, 10, 15 fill the four best slots, and nothing beats them after.
        Assert.Equal([0L, 5, 10, 15], scene.Described[track.Id]);
        Assert.Equal(4, track.Descriptors.Count);
    }

    [Fact]
    public void ABetterFrame_GetsADescriptorAtOnceAndLeadsTheBestFrames()
    {
        var scene = new Scene(options: new FaceTrackerOptions { DescriptorInterval = 100 });
        for (var k = 0; k < 10; k++) scene.Frame(k, ("alice", Box(300, 200, 60))); // small, far away
        scene.Frame(10, ("alice", Box(290, 190, 120))); // steps closer
        var track = Assert.Single(scene.Tracker.Tracks);
        Assert.Equal([0L, 10], scene.Described[track.Id]);
        Assert.Equal(10, track.Best!.Frame.Index);
        Assert.Same(track.Descriptors[0], track.Best.Descriptor);
    }

    [Fact]
    public void TheDecision_GetsTheBestFramesDescriptorsOnce()
    {
        var calls = new List<int>();
        var scene = new Scene(decide: d => { calls.Add(d.Count); return Scene.Decide(d); });
        for (var k = 0; k < 60; k++) scene.Frame(k, ("alice", Box(300, 200)));
        scene.End(60);
        Assert.Equal([3], calls);
    }

    [Fact]
    public void FramesOutOfOrder_AreRefused()
    {
        var tracker = new FaceTracker();
        tracker.Update([], new FrameStamp(5, 0.2));
        Assert.Throws<ArgumentException>(() => tracker.Update([], new FrameStamp(5, 0.2)));
    }
}
