using System.Text.Json;
using System.Text.Json.Serialization;
using Visage.Faces;

namespace Visage.Cli;

/// <summary>The JSON shapes the CLI prints with <c>--json</c> (camelCase), and the writer.</summary>
public static class JsonOutput
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = false,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping, // terminal output, not HTML
    };

    /// <summary>Writes one JSON document to stdout.</summary>
    public static void Print(object value) => Console.Out.WriteLine(JsonSerializer.Serialize(value, Options));

    /// <summary>A face as JSON: box, score, 68 landmarks, optionally the embedding.</summary>
    public static FaceJson Face(Face face, bool withEmbedding) => new(
        new BoxJson(R(face.Box.X), R(face.Box.Y), R(face.Box.Width), R(face.Box.Height)),
        MathF.Round(face.Score, 6),
        face.Landmarks?.Points.Select(p => new[] { R(p.X), R(p.Y) }).ToArray(),
        withEmbedding ? face.Embedding?.Vector : null,
        face.Stage);

    private static double R(double v) => Math.Round(v, 3);
}

public sealed record BoxJson(double X, double Y, double Width, double Height);

public sealed record FaceJson(
    BoxJson Box,
    float Score,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double[][]? Landmarks,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] float[]? Embedding,
    string Stage);
