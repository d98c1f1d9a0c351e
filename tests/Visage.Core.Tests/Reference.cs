using System.Text.Json;
using Visage.Faces;

namespace Visage.Tests;

/// <summary>Lookups and comparisons against face-api.js's reference outputs.</summary>
public static class Reference
{
    /// <summary>The record of one demo photo in faceapi-samples.json.</summary>
    public static JsonElement Sample(string name) =>
        TestData.ReferenceJson("faceapi-samples.json").GetProperty("images").EnumerateArray()
            .Single(i => i.GetProperty("file").GetString() == name + ".jpg");

    public static void AssertBox(JsonElement expected, BoundingBox actual, double tolerance)
    {
        AssertNear(expected.GetProperty("x").GetDouble(), actual.X, tolerance, "x");
        AssertNear(expected.GetProperty("y").GetDouble(), actual.Y, tolerance, "y");
        AssertNear(expected.GetProperty("width").GetDouble(), actual.Width, tolerance, "width");
        AssertNear(expected.GetProperty("height").GetDouble(), actual.Height, tolerance, "height");
    }

    public static void AssertNear(double expected, double actual, double tolerance, string what) =>
        Assert.True(Math.Abs(expected - actual) <= tolerance, $"{what}: expected {expected}, got {actual} (tolerance {tolerance})");

    public static float[] Floats(JsonElement array) => array.EnumerateArray().Select(e => e.GetSingle()).ToArray();
}
