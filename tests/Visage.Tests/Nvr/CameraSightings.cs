using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Visage.Cli.Tests.Service;
using Visage.Faces;
using Visage.Gallery;
using Visage.Sightings;

namespace Visage.Cli.Tests.Nvr;

/// <summary>Sightings written into a service's gallery file as a camera bridge writes them (the store's own verb), from real photos.</summary>
public static class CameraSightings
{
    /// <summary>Stores what a camera saw in <paramref name="photo"/> (its largest face, embedded by the service), named as <paramref name="personId"/> or unknown.</summary>
    public static async Task<long> RecordAsync(VisageServer server, string camera, string photo, long? personId = null, DateTime? at = null)
    {
        var embedded = await (await server.Client.PostAsync("/api/v1/embed", Bodies.Raw(photo))).Content.ReadFromJsonAsync<JsonElement>();
        var json = embedded.GetProperty("faces").EnumerateArray().MaxBy(f => f.GetProperty("box").GetProperty("width").GetDouble());
        var box = json.GetProperty("box");
        var face = new Face(new BoundingBox(box.GetProperty("x").GetDouble(), box.GetProperty("y").GetDouble(), box.GetProperty("width").GetDouble(), box.GetProperty("height").GetDouble()),
            json.GetProperty("score").GetSingle(), Embedding: new FaceEmbedding([.. json.GetProperty("embedding").EnumerateArray().Select(v => v.GetSingle())], embedded.GetProperty("modelId").GetString()!));
        using var gallery = FaceGallery.Open(server.Options.Database, face.Embedding!.ModelId);
        var bytes = File.ReadAllBytes(photo);
        var thumbnail = Imaging.FaceThumbnail.Jpeg(new Imaging.ImageDecoder().Decode(bytes), face.Box);
        return new SightingStore(gallery).Record(new NewSighting(camera, "frigate", null, at ?? DateTime.UtcNow, personId, personId is null ? null : 0.9f, 0.3f,
            face, Convert.ToHexStringLower(SHA256.HashData(bytes)), thumbnail)).Id;
    }
}
