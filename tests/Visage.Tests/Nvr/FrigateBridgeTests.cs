using Visage.Cli.Tests.Service;
using Visage.Reliability;

namespace Visage.Cli.Tests.Nvr;

/// <summary>
/// The Frigate bridge end to end with real parts: a Frigate event published on mosquitto reaches a real
/// <c>visage serve</c>, which fetches the snapshot from the Frigate stand-in, posts the sub label and publishes the match.
/// </summary>
public sealed class FrigateBridgeTests(FrigateBridgeFixture nvr) : IClassFixture<FrigateBridgeFixture>
{
    private static readonly TimeSpan Soon = TimeSpan.FromSeconds(30);

    private static string Camera() => "cam_" + Guid.NewGuid().ToString("N")[..8];

    private Task<MqttSeen?> CameraMessage(string camera, Func<JsonElement, bool>? match = null) =>
        nvr.Watcher.WaitForAsync(m => m.Topic == $"visage/cameras/{camera}" && (match is null || match(JsonDocument.Parse(m.Payload).RootElement)), Soon);

    [Fact]
    public async Task AnEnrolledPerson_GetsTheSubLabel_AMatch_ASighting_AndHomeAssistantSensors()
    {
        var camera = Camera();
        var id = await nvr.EventAsync(camera, Photos.Lu(4));

        var posted = await nvr.SubLabelAsync(id, Soon);
        Assert.NotNull(posted);
        Assert.Equal("Edward Lu", posted.SubLabel);
        Assert.InRange(posted.Score!.Value, 0.5, 1);

        var match = await nvr.Watcher.WaitForAsync(m => m.Topic == "visage/matches/Edward Lu" && m.Payload.Contains(id), Soon);
        Assert.NotNull(match);
        var json = JsonDocument.Parse(match.Payload).RootElement;
        Assert.Equal((camera, "Edward Lu", nvr.EdwardLu), (json.GetProperty("camera").GetString(), json.GetProperty("name").GetString(), json.GetProperty("personId").GetInt64()));
        Assert.Equal("snapshot", json.GetProperty("picture").GetString());
        var cameraState = await CameraMessage(camera);
        Assert.True(cameraState!.Retained || nvr.Watcher.Seen.Any(m => m.Topic == cameraState.Topic));
        Assert.Equal("Edward Lu", JsonDocument.Parse(cameraState.Payload).RootElement.GetProperty("name").GetString());

        var sightings = await nvr.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/sightings?camera={camera}");
        var sighting = sightings.GetProperty("items").EnumerateArray().Single();
        Assert.Equal((nvr.EdwardLu, "frigate", id), (sighting.GetProperty("personId").GetInt64(), sighting.GetProperty("source").GetString(), sighting.GetProperty("eventId").GetString()));
        Assert.Equal(json.GetProperty("sighting").GetInt64(), sighting.GetProperty("id").GetInt64());

        // Home Assistant: the camera and the person as sensors, with the availability topic, no YAML.
        var cameraSensor = await nvr.Watcher.WaitForAsync(m => m.Topic == $"homeassistant/sensor/visage_camera_{camera}/config", Soon);
        var config = JsonDocument.Parse(cameraSensor!.Payload).RootElement;
        Assert.Equal($"visage/cameras/{camera}", config.GetProperty("state_topic").GetString());
        Assert.Equal("visage/available", config.GetProperty("availability_topic").GetString());
        var personSensor = await nvr.Watcher.WaitForAsync(m => m.Topic == "homeassistant/sensor/visage_person_edward_lu/config", Soon);
        Assert.Equal("visage/matches/Edward Lu", JsonDocument.Parse(personSensor!.Payload).RootElement.GetProperty("state_topic").GetString());
        Assert.NotNull(await nvr.Watcher.WaitForAsync(m => m.Topic == "visage/available" && m.Payload == "online", Soon));
    }

    [Fact]
    public async Task AStranger_GetsNoSubLabel_NoMatch_AndAnUnknownSighting()
    {
        var camera = Camera();
        var id = await nvr.EventAsync(camera, Photos.Stoiber(2));
        var state = await CameraMessage(camera);
        Assert.NotNull(state);
        var json = JsonDocument.Parse(state.Payload).RootElement;
        Assert.Equal("unknown", json.GetProperty("name").GetString());
        Assert.Equal(JsonValueKind.Null, json.GetProperty("matches")[0].GetProperty("name").ValueKind);
        Assert.False(json.GetProperty("subLabelPosted").GetBoolean());
        Assert.Null(await nvr.SubLabelAsync(id, TimeSpan.FromSeconds(1)));
        Assert.DoesNotContain(nvr.Watcher.Seen, m => m.Topic.StartsWith("visage/matches/", StringComparison.Ordinal) && m.Payload.Contains(id));
        var sightings = await nvr.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/sightings?camera={camera}&unknown=true");
        Assert.Equal(id, sightings.GetProperty("items").EnumerateArray().Single().GetProperty("eventId").GetString());
    }

    [Fact]
    public async Task AnEvent_IsAttemptedABoundedNumberOfTimes_NeverTwiceForOnePicture()
    {
        var camera = Camera();
        // Thirteen pictures the gallery names nobody in (at 1% of strangers named, a stranger's photo is now and then
        // taken for Edward Lu, which would end the event's attempts early).
        var strangers = new List<Photo>();
        foreach (var photo in Photo.All().Where(p => p.Person is not ("Edward_Lu")).GroupBy(p => p.Person).Select(g => g.First()))
        {
            var answer = await (await nvr.Admin.PostAsync("/api/v1/recognize", Bodies.Raw(photo.Path))).Content.ReadFromJsonAsync<JsonElement>();
            if (answer.GetProperty("faces").EnumerateArray().All(f => f.GetProperty("name").ValueKind == JsonValueKind.Null)) strangers.Add(photo);
            if (strangers.Count == 13) break;
        }
        var id = FrigateStandIn.NewEventId();
        Task<MqttSeen?> Attempt(int n) => nvr.Watcher.WaitForAsync(m => m.Topic == $"visage/cameras/{camera}"
            && JsonDocument.Parse(m.Payload).RootElement.GetProperty("matches")[0].GetProperty("attempt").GetInt32() == n, Soon);
        nvr.Frigate.SetSnapshot(id, strangers[0].Bytes);
        await nvr.Frigate.PublishAsync("new", id, camera);
        Assert.NotNull(await Attempt(1));
        await nvr.Frigate.PublishAsync("update", id, camera); // the same picture again: not recognized twice
        for (var i = 1; i < strangers.Count; i++)
        {
            nvr.Frigate.SetSnapshot(id, strangers[i].Bytes);
            await nvr.Frigate.PublishAsync("update", id, camera);
            if (i < 10) Assert.NotNull(await Attempt(i + 1)); // each picture handled before the next is set
        }
        await Task.Delay(TimeSpan.FromSeconds(2)); // room for an eleventh, which must not come
        var attempts = nvr.Watcher.Seen.Where(m => m.Topic == $"visage/cameras/{camera}")
            .Select(m => JsonDocument.Parse(m.Payload).RootElement.GetProperty("matches")[0].GetProperty("attempt").GetInt32()).ToList();
        Assert.Equal(Enumerable.Range(1, 10), attempts);
    }

    [Fact]
    public async Task OtherLabels_AndFalsePositives_AreLeftAlone()
    {
        var camera = Camera();
        var car = FrigateStandIn.NewEventId();
        nvr.Frigate.SetSnapshot(car, File.ReadAllBytes(Photos.Lu(4)));
        await nvr.Frigate.PublishAsync("new", car, camera, label: "car");
        var ghost = FrigateStandIn.NewEventId();
        nvr.Frigate.SetSnapshot(ghost, File.ReadAllBytes(Photos.Lu(4)));
        await nvr.Frigate.PublishAsync("new", ghost, camera, falsePositive: true);
        var real = await nvr.EventAsync(camera, Photos.Lu(5));
        Assert.NotNull(await nvr.SubLabelAsync(real, Soon)); // handled after the two others
        Assert.DoesNotContain(nvr.Frigate.PictureRequests, p => p.Contains(car) || p.Contains(ghost));
    }

    [Fact]
    public async Task AnExpiredEvent_APictureThatIsNoImage_AndFrigateDown_AreLoggedOnce_AndTheBridgeGoesOn()
    {
        var camera = Camera();
        var expired = FrigateStandIn.NewEventId(); // Frigate answers 404 for its snapshot, and it has ended
        await nvr.Frigate.PublishAsync("end", expired, camera);
        var garbage = FrigateStandIn.NewEventId();
        nvr.Frigate.SetSnapshot(garbage, "<html>not a picture</html>"u8.ToArray());
        await nvr.Frigate.PublishAsync("new", garbage, camera);
        await nvr.Frigate.PublishAsync("update", garbage, camera); // the same bad bytes: not tried, not logged again
        await WaitForLogAsync($"Frigate event {expired}");
        await WaitForLogAsync($"Frigate event {garbage}");

        nvr.Frigate.Down = true;
        var during = FrigateStandIn.NewEventId();
        nvr.Frigate.SetSnapshot(during, File.ReadAllBytes(Photos.Lu(4)));
        await nvr.Frigate.PublishAsync("new", during, camera);
        await nvr.Frigate.PublishAsync("update", during, camera);
        await WaitForLogAsync("cannot be reached");
        nvr.Frigate.Down = false;

        var after = await nvr.EventAsync(camera, Photos.Lu(6));
        Assert.Equal("Edward Lu", (await nvr.SubLabelAsync(after, Soon))?.SubLabel);
        var log = nvr.Server.Output;
        Assert.True(Count(log, $"Frigate event {expired}") == 1, log[^Math.Min(log.Length, 6000)..]);
        Assert.Equal(1, Count(log, $"Frigate event {garbage} on {camera}: the snapshot is not a usable image"));
        Assert.Equal(1, Count(log, "cannot be reached"));
        Assert.Contains("Frigate answers again", log);
        Assert.False(nvr.Server.HasExited);
    }

    [Fact]
    public async Task NeitherTheBrokerPassword_NorAnApiKey_ReachesTheLog()
    {
        var camera = Camera();
        await nvr.Admin.PostAsync("/api/v1/recognition/recognize", Bodies.Raw(Photos.Lu(2))); // the admin key, in x-api-key
        var id = await nvr.EventAsync(camera, Photos.Lu(4));
        Assert.NotNull(await nvr.SubLabelAsync(id, Soon));
        var log = nvr.Server.Output;
        Assert.Contains("mqtt://visage:***@127.0.0.1", log); // the broker is named, its password masked
        Assert.DoesNotContain(nvr.Broker.Password, log);
        Assert.DoesNotContain(ServerProcess.AdminKey, log);
    }

    private async Task WaitForLogAsync(string text)
    {
        var until = DateTime.UtcNow + Soon;
        while (!nvr.Server.Output.Contains(text) && DateTime.UtcNow < until) await Task.Delay(100);
    }

    private static int Count(string text, string part) => (text.Length - text.Replace(part, "", StringComparison.Ordinal).Length) / part.Length;
}
