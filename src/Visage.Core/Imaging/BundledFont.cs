using SkiaSharp;

namespace Visage.Imaging;

/// <summary>
/// DejaVu Sans Bold, embedded in the assembly: SkiaSharp's NoDependencies build has no system fonts, so every
/// label (annotated photos, plots, contact sheets) is drawn with this one.
/// </summary>
internal static class BundledFont
{
    /// <summary>The family name the font reports.</summary>
    public const string Family = "DejaVu Sans";

    private static readonly Lazy<byte[]> Bytes = new(() =>
    {
        using var stream = typeof(BundledFont).Assembly.GetManifestResourceStream("Visage.Fonts.DejaVuSans-Bold.ttf")
            ?? throw new InvalidOperationException("bundled font missing");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    });

    private static readonly Lazy<SKTypeface> Shared = new(Create);

    /// <summary>One typeface shared by the process (never disposed).</summary>
    public static SKTypeface Typeface => Shared.Value;

    /// <summary>A new typeface instance (for libraries that dispose what they are given).</summary>
    public static SKTypeface Create()
    {
        using var data = SKData.CreateCopy(Bytes.Value);
        return SKTypeface.FromData(data) ?? throw new InvalidOperationException("bundled font unreadable");
    }
}
