using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using MQTTnet;
using MQTTnet.Protocol;

namespace Visage.Reliability;

/// <summary>A sub label Frigate received, with when it arrived (the stand-in's stopwatch).</summary>
public sealed record SubLabelPosted(string EventId, string SubLabel, double? Score, TimeSpan At);

/// <summary>
/// Frigate as the bridge sees it, on loopback: the HTTP routes Visage calls (<c>GET /api/events/{id}/snapshot.jpg</c>,
/// <c>GET /api/{camera}/latest.jpg</c>, <c>POST /api/events/{id}/sub_label</c>, answered as Frigate's <c>api/event.py</c>
/// and <c>media.py</c> answer, 404 for an unknown event included) and its MQTT messages on <c>frigate/events</c> in
/// Frigate's exact JSON (docs/integrations/mqtt.md: <c>type</c>, <c>before</c>, <c>after</c>). Pictures are set per event
/// and camera by the test.
/// </summary>
public sealed class FrigateStandIn : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly IMqttClient _mqtt;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly ConcurrentDictionary<string, byte[]> _snapshots = new();
    private readonly ConcurrentDictionary<string, byte[]> _latest = new();
    private readonly ConcurrentDictionary<string, TimeSpan> _published = new();

    private FrigateStandIn(WebApplication app, IMqttClient mqtt)
    {
        _app = app;
        _mqtt = mqtt;
    }

    /// <summary>Frigate's HTTP address.</summary>
    public Uri BaseAddress => new(_app.Urls.First());

    /// <summary>Every sub label posted, in order.</summary>
    public Channel<SubLabelPosted> SubLabels { get; } = Channel.CreateUnbounded<SubLabelPosted>();

    /// <summary>Requests for pictures, by path (to see what the bridge fetched).</summary>
    public ConcurrentQueue<string> PictureRequests { get; } = new();

    /// <summary>When an event's first message was published (the stand-in's stopwatch), for latencies.</summary>
    public TimeSpan PublishedAt(string eventId) => _published[eventId];

    public static async Task<FrigateStandIn> StartAsync(MosquittoBroker broker)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        var app = builder.Build();
        var mqtt = new MqttClientFactory().CreateMqttClient();
        var standIn = new FrigateStandIn(app, mqtt);
        await standIn.ReconnectAsync(broker);
        app.Use(async (http, next) =>
        {
            if (standIn.Down) http.Abort();
            else await next(http);
        });
        app.MapGet("/api/events/{id}/snapshot.jpg", (string id, HttpContext http) => standIn.Picture(standIn._snapshots, id, http, "Event not found"));
        app.MapGet("/api/{camera}/latest.jpg", (string camera, HttpContext http) => standIn.Picture(standIn._latest, camera, http, "Camera not found"));
        app.MapPost("/api/events/{id}/sub_label", standIn.SubLabel);
        await app.StartAsync();
        return standIn;
    }

    /// <summary>Connects the MQTT side (again, after the broker went away).</summary>
    public async Task ReconnectAsync(MosquittoBroker broker)
    {
        if (_mqtt.IsConnected) return;
        await _mqtt.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", broker.Port).WithCredentials(broker.User, broker.Password)
            .WithClientId("frigate-stand-in-" + Guid.NewGuid().ToString("N")[..8]).Build());
    }

    /// <summary>The event's snapshot (null: Frigate has none, 404).</summary>
    public void SetSnapshot(string eventId, byte[]? jpeg)
    {
        if (jpeg is null) _snapshots.TryRemove(eventId, out _);
        else _snapshots[eventId] = jpeg;
    }

    /// <summary>The camera's latest frame.</summary>
    public void SetLatest(string camera, byte[] jpeg) => _latest[camera] = jpeg;

    /// <summary>Publishes one <c>frigate/events</c> message for a person event, as Frigate does.</summary>
    public async Task PublishAsync(string type, string eventId, string camera, bool hasSnapshot = true, string label = "person",
        string[]? zones = null, bool falsePositive = false)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0;
        var start = double.Parse(eventId.Split('-')[0], System.Globalization.CultureInfo.InvariantCulture);
        object State(bool after) => new Dictionary<string, object?>
        {
            ["id"] = eventId,
            ["camera"] = camera,
            ["frame_time"] = after ? now : start,
            ["snapshot"] = hasSnapshot && after ? new Dictionary<string, object> { ["frame_time"] = now, ["box"] = new[] { 432, 496, 544, 854 }, ["area"] = 40096, ["region"] = new[] { 218, 440, 693, 915 }, ["score"] = 0.87890625, ["attributes"] = Array.Empty<object>() } : null,
            ["label"] = label,
            ["sub_label"] = null,
            ["top_score"] = 0.958984375,
            ["false_positive"] = falsePositive,
            ["start_time"] = start,
            ["end_time"] = type == "end" && after ? now : null,
            ["score"] = 0.87890625,
            ["box"] = new[] { 432, 496, 544, 854 },
            ["area"] = 40096,
            ["ratio"] = 1.251397,
            ["region"] = new[] { 218, 440, 693, 915 },
            ["current_zones"] = zones ?? [],
            ["entered_zones"] = zones ?? [],
            ["thumbnail"] = null,
            ["has_snapshot"] = hasSnapshot && after,
            ["has_clip"] = false,
            ["active"] = true,
            ["stationary"] = false,
            ["motionless_count"] = 0,
            ["position_changes"] = 2,
            ["attributes"] = new Dictionary<string, double> { ["face"] = 0.64 },
            ["current_attributes"] = Array.Empty<object>(),
        };
        var payload = JsonSerializer.Serialize(new Dictionary<string, object> { ["type"] = type, ["before"] = State(false), ["after"] = State(true) });
        _published.TryAdd(eventId, _clock.Elapsed);
        await _mqtt.PublishAsync(new MqttApplicationMessageBuilder().WithTopic("frigate/events").WithPayload(Encoding.UTF8.GetBytes(payload))
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtMostOnce).Build());
    }

    /// <summary>A new event id in Frigate's form: start time and a random suffix.</summary>
    public static string NewEventId() =>
        $"{DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0:0.000000}-{Guid.NewGuid().ToString("N")[..6]}";

    /// <summary>While true, every HTTP request is cut off (Frigate unreachable) while the MQTT side stays up.</summary>
    public bool Down { get; set; }

    public async ValueTask DisposeAsync()
    {
        SubLabels.Writer.TryComplete();
        if (_mqtt.IsConnected) await _mqtt.DisconnectAsync();
        _mqtt.Dispose();
        await _app.DisposeAsync();
    }

    private IResult Picture(ConcurrentDictionary<string, byte[]> pictures, string key, HttpContext http, string missing)
    {
        PictureRequests.Enqueue(http.Request.Path + http.Request.QueryString);
        return pictures.TryGetValue(key, out var jpeg)
            ? Results.File(jpeg, "image/jpeg")
            : Results.Json(new { success = false, message = missing }, statusCode: StatusCodes.Status404NotFound);
    }

    // Frigate's EventsSubLabelBody: subLabel up to 100 characters, subLabelScore in (0, 1] or absent; 404 for an unknown event.
    private async Task<IResult> SubLabel(string id, HttpContext http)
    {
        var at = _clock.Elapsed;
        using var body = await JsonDocument.ParseAsync(http.Request.Body);
        var root = body.RootElement;
        if (!root.TryGetProperty("subLabel", out var label) || label.ValueKind != JsonValueKind.String || label.GetString()!.Length > 100)
            return Results.Json(new { success = false, message = "subLabel is required, at most 100 characters" }, statusCode: 422);
        double? score = root.TryGetProperty("subLabelScore", out var s) && s.ValueKind == JsonValueKind.Number ? s.GetDouble() : null;
        if (score is <= 0 or > 1) return Results.Json(new { success = false, message = "subLabelScore must be in (0, 1]" }, statusCode: 422);
        if (!_published.ContainsKey(id)) return Results.Json(new { success = false, message = $"Event {id} not found" }, statusCode: 404);
        await SubLabels.Writer.WriteAsync(new SubLabelPosted(id, label.GetString()!, score, at));
        return Results.Json(new { success = true, message = $"Event {id} sub label set to {label.GetString()}" });
    }
}
