namespace Visage.Landmarks;

/// <summary>Which landmark net runs.</summary>
public sealed record LandmarkOptions
{
    /// <summary>The registered landmark net (default <c>full</c>; <c>tiny</c> is faster and less precise).</summary>
    public string Net { get; init; } = FaceLandmark68Net.FullName;

    /// <summary>Throws when a value is out of range.</summary>
    /// <exception cref="ArgumentException">No net named.</exception>
    public void Validate() => ArgumentException.ThrowIfNullOrWhiteSpace(Net, nameof(Net));
}
