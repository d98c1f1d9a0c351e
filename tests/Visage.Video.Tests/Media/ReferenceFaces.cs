using System.Text.Json;
using Visage.Faces;
using Visage.Tests;

namespace Visage.Video.Tests.Media;

/// <summary>
/// Face boxes of the shared photos from face-api.js's reference output (<c>../shared/reference</c>), in photo
/// pixels: where the face sits inside each photo the generator draws, so the ground truth can say where it is on screen.
/// </summary>
public static class ReferenceFaces
{
    private static readonly Lazy<Dictionary<string, BoundingBox[]>> Boxes = new(Load);

    /// <summary>The reference face boxes of a photo under <c>data/faces</c> or <c>data/groups</c> (empty when none was found).</summary>
    public static IReadOnlyList<BoundingBox> Of(string photo)
    {
        var key = Path.GetRelativePath(TestData.Faces, photo).Replace('\\', '/');
        if (key.StartsWith("..", StringComparison.Ordinal)) key = Path.GetFileName(photo);
        return Boxes.Value.TryGetValue(key, out var boxes) ? boxes : [];
    }

    /// <summary>
    /// The first photo of each person under <c>data/faces</c> in which the reference found exactly one face,
    /// in folder order: the generator's default cast.
    /// </summary>
    public static IReadOnlyList<string> OneFacePhotos() =>
        Directory.GetDirectories(TestData.Faces).Order(StringComparer.Ordinal)
            .Select(dir => Directory.GetFiles(dir, "*.jpg").Order(StringComparer.Ordinal).FirstOrDefault(p => Of(p).Count == 1))
            .OfType<string>().ToList();

    private static Dictionary<string, BoundingBox[]> Load()
    {
        var all = new Dictionary<string, BoundingBox[]>(StringComparer.Ordinal);
        foreach (var file in (string[])["faceapi-faces.json", "faceapi-groups.json"])
            foreach (var image in TestData.ReferenceJson(file).GetProperty("images").EnumerateArray())
                all[image.GetProperty("file").GetString()!] = image.GetProperty("faces").EnumerateArray().Select(Box).ToArray();
        return all;
    }

    private static BoundingBox Box(JsonElement face)
    {
        var b = face.GetProperty("box");
        return new BoundingBox(b.GetProperty("x").GetDouble(), b.GetProperty("y").GetDouble(), b.GetProperty("width").GetDouble(), b.GetProperty("height").GetDouble());
    }
}
