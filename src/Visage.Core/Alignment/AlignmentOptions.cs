namespace Visage.Alignment;

/// <summary>How chips are cut.</summary>
public sealed record AlignmentOptions
{
    /// <summary>The chip convention (default dlib's, which the recognition weights were trained with).</summary>
    public AlignmentMode Mode { get; init; } = AlignmentMode.Dlib;

    /// <summary>Throws when a value is out of range.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An undefined mode.</exception>
    public void Validate()
    {
        if (!Enum.IsDefined(Mode)) throw new ArgumentOutOfRangeException(nameof(Mode), Mode, "unknown alignment mode");
    }
}
