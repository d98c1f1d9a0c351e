namespace Visage;

/// <summary>JavaScript's rounding, which face-api.js's arithmetic relies on.</summary>
internal static class JsMath
{
    /// <summary><c>Math.round</c>: halves round up (2.5 to 3, -2.5 to -2), unlike .NET's default banker's rounding.</summary>
    public static double Round(double x) => Math.Floor(x + 0.5);
}
