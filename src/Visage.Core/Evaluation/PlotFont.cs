using ScottPlot;
using SkiaSharp;
using Visage.Imaging;

namespace Visage.Evaluation;

/// <summary>
/// Makes ScottPlot draw text with the bundled font: headless (and with SkiaSharp's NoDependencies build) there is
/// no system font, and labels would come out blank.
/// </summary>
internal sealed class PlotFont : IFontResolver
{
    private static readonly Lazy<bool> Installed = new(() =>
    {
        Fonts.FontResolvers.Insert(0, new PlotFont());
        Fonts.Default = BundledFont.Family;
        Fonts.Sans = BundledFont.Family;
        return true;
    });

    /// <summary>Registers the font once per process.</summary>
    public static void Install() => _ = Installed.Value;

    public SKTypeface? CreateTypeface(string fontName, bool bold, bool italic) => BundledFont.Create();

    public SKTypeface? CreateTypeface(string fontName, FontWeight weight, FontSlant slant, FontSpacing spacing) => BundledFont.Create();
}
