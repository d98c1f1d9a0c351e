using System.Text.Json;
using Visage.Faces;
using Visage.Video.Tracking;

namespace Visage.Video.Tests.Tracking;

public sealed class AppearanceEventTests
{
    private static readonly string[] Fields = ["event", "camera", "track", "time", "name", "personId", "confidence", "distance", "box", "frames"];

    [Fact]
    public void AFileEvent_HasEveryFieldAndItsTimeInMediaSeconds()
    {
        var e = new AppearanceEvent(AppearanceEventKind.Identified, "door", 7, new FrameStamp(311, 12.44),
            new TrackDecision("Barack_Obama", 17, 0.91234, 0.41), new BoundingBox(10.04, 20, 30, 40.26), 14);
        using var doc = JsonDocument.Parse(e.ToJson());
        var root = doc.RootElement;
        Assert.Equal(Fields, root.EnumerateObject().Select(p => p.Name));
        Assert.Equal("identified", root.GetProperty("event").GetString());
        Assert.Equal("door", root.GetProperty("camera").GetString());
        Assert.Equal(7, root.GetProperty("track").GetInt64());
        Assert.Equal(12.44, root.GetProperty("time").GetDouble());
        Assert.Equal("Barack_Obama", root.GetProperty("name").GetString());
        Assert.Equal(17, root.GetProperty("personId").GetInt64());
        Assert.Equal(0.9123, root.GetProperty("confidence").GetDouble());
        Assert.Equal(0.41, root.GetProperty("distance").GetDouble());
        Assert.Equal("""{"x":10,"y":20,"width":30,"height":40.3}""", root.GetProperty("box").GetRawText());
        Assert.Equal(14, root.GetProperty("frames").GetInt32());
        Assert.DoesNotContain('\n', e.ToJson());
    }

    [Fact]
    public void ALiveStrangerLeaving_HasAnIsoUtcTimeNullNameAndADuration()
    {
        var utc = new DateTimeOffset(2025, 3, 1, 18, 4, 5, 250, TimeSpan.FromHours(1));
        var e = new AppearanceEvent(AppearanceEventKind.Left, "gate", 3, new FrameStamp(90, 3.6, utc),
            TrackDecision.Unknown(0.72), new BoundingBox(1, 2, 3, 4), 40, 3.2);
        using var doc = JsonDocument.Parse(e.ToJson());
        var root = doc.RootElement;
        Assert.Equal("2025-03-01T17:04:05.250Z", root.GetProperty("time").GetString());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("name").ValueKind);
        Assert.Equal(JsonValueKind.Null, root.GetProperty("personId").ValueKind);
        Assert.Equal(0.72, root.GetProperty("distance").GetDouble());
        Assert.Equal(3.2, root.GetProperty("duration").GetDouble());
    }

    [Fact]
    public void Appeared_HasNoNameYet()
    {
        var e = new AppearanceEvent(AppearanceEventKind.Appeared, "door", 1, new FrameStamp(2, 0.08), null, new BoundingBox(0, 0, 1, 1), 3);
        using var doc = JsonDocument.Parse(e.ToJson());
        Assert.Equal(Fields, doc.RootElement.EnumerateObject().Select(p => p.Name));
        Assert.Equal(JsonValueKind.Null, doc.RootElement.GetProperty("name").ValueKind);
        Assert.Equal(JsonValueKind.Null, doc.RootElement.GetProperty("confidence").ValueKind);
    }

    [Fact]
    public void ATrackThatNeverGotADescriptor_IsUnknownWithoutAskingTheDecision()
    {
        var asked = false;
        var events = new AppearanceEvents("door", _ => { asked = true; return TrackDecision.Unknown(); });
        var tracker = new FaceTracker(new FaceTrackerOptions { MinHits = 1 });
        tracker.Update([new FaceObservation(new BoundingBox(0, 0, 50, 50), 0.9)], new FrameStamp(0, 0));
        var all = events.Process(tracker.EndAll(new FrameStamp(1, 0.04)));
        Assert.Equal(["identified", "left"], all.Select(e => e.EventName));
        Assert.False(asked);
        Assert.Null(all[0].Decision!.Name);
    }
}
