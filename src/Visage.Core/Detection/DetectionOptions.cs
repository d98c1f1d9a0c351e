namespace Visage.Detection;

/// <summary>Which detector runs and what it keeps.</summary>
public sealed record DetectionOptions
{
    /// <summary>The registered detector (default <c>ssd</c>, accurate; <c>tiny</c> is about 16 times cheaper).</summary>
    public string Detector { get; init; } = SsdMobileNetV1Detector.DetectorName;

    /// <summary>Detections scoring at or below this are dropped (default 0.5, face-api.js's default). Must be in (0, 1).</summary>
    public float MinScore { get; init; } = 0.5f;

    /// <summary>Faces whose box is smaller than this many pixels on its shorter side are dropped (default 0: keep all).</summary>
    public double MinFaceSize { get; init; }

    /// <summary>Input side of the detector for detectors that take several (Tiny: a multiple of 32); 0 (default) for the model's own.</summary>
    public int InputSize { get; init; }

    /// <summary>The settings of one call of the detector.</summary>
    public DetectorSettings Settings => new(MinScore, InputSize);

    /// <summary>Throws when a value is out of range.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of range.</exception>
    public void Validate()
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(Detector, nameof(Detector));
        if (!(MinScore > 0 && MinScore < 1)) throw new ArgumentOutOfRangeException(nameof(MinScore), MinScore, "min score must be in (0, 1)");
        if (!(MinFaceSize >= 0)) throw new ArgumentOutOfRangeException(nameof(MinFaceSize), MinFaceSize, "min face size must be >= 0");
        if (InputSize < 0) throw new ArgumentOutOfRangeException(nameof(InputSize), InputSize, "input size must be >= 0");
    }
}
