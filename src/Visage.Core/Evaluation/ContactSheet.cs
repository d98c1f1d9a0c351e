using SkiaSharp;
using Visage.Alignment;
using Visage.Imaging;

namespace Visage.Evaluation;

/// <summary>A PNG of a variant's worst false accepts and false rejects: each pair as its two aligned chips with names and distance.</summary>
public static class ContactSheet
{
    private const int Chip = DlibChip.DefaultSize;
    private const int PairsPerRow = 4;
    private const int Gap = 12;
    private const int Caption = 44;
    private const int Heading = 30;

    /// <summary>Draws the sheet; returns false (and writes nothing) when the variant made no errors.</summary>
    public static bool Write(FaceDataset dataset, VariantReport variant, string path, ImagingOptions? imaging = null)
    {
        var sections = new[] { ("false accepts (different persons, closest first)", variant.WorstFalseAccepts), ("false rejects (same person, farthest first)", variant.WorstFalseRejects) };
        if (variant.WorstFalseAccepts.Count + variant.WorstFalseRejects.Count == 0) return false;
        var decoder = new ImageDecoder(imaging);
        var byName = dataset.Photos.ToDictionary(p => p.Name, StringComparer.Ordinal);
        var cell = 2 * Chip + 4;
        var width = PairsPerRow * cell + (PairsPerRow + 1) * Gap;
        var height = 0;
        foreach (var (_, pairs) in sections) height += Heading + Rows(pairs.Count) * (Chip + Caption + Gap);

        using var bitmap = new SKBitmap(new SKImageInfo(width, Math.Max(1, height), SKColorType.Rgba8888, SKAlphaType.Opaque));
        using var canvas = new SKCanvas(bitmap);
        canvas.Clear(SKColors.White);
        using var title = new SKFont(BundledFont.Typeface, 16);
        using var small = new SKFont(BundledFont.Typeface, 11);
        using var ink = new SKPaint { Color = SKColors.Black, IsAntialias = true };
        var y = 0;
        foreach (var (heading, pairs) in sections)
        {
            canvas.DrawText($"{variant.Name}: {heading}", Gap, y + 21, SKTextAlign.Left, title, ink);
            y += Heading;
            for (var i = 0; i < pairs.Count; i++)
            {
                var x = Gap + i % PairsPerRow * (cell + Gap);
                var top = y + i / PairsPerRow * (Chip + Caption + Gap);
                DrawChip(canvas, decoder, byName[pairs[i].A], variant, x, top);
                DrawChip(canvas, decoder, byName[pairs[i].B], variant, x + Chip + 4, top);
                canvas.DrawText(Path.GetFileNameWithoutExtension(pairs[i].A), x, top + Chip + 14, SKTextAlign.Left, small, ink);
                canvas.DrawText(Path.GetFileNameWithoutExtension(pairs[i].B), x, top + Chip + 27, SKTextAlign.Left, small, ink);
                canvas.DrawText($"distance {pairs[i].Distance:0.000}", x, top + Chip + 40, SKTextAlign.Left, small, ink);
            }
            y += Rows(pairs.Count) * (Chip + Caption + Gap);
        }
        ImageEncoder.Save(ImageEncoder.FromBitmap(bitmap), path);
        return true;
    }

    private static int Rows(int pairs) => (pairs + PairsPerRow - 1) / PairsPerRow;

    private static void DrawChip(SKCanvas canvas, ImageDecoder decoder, DatasetPhoto photo, VariantReport variant, int x, int y)
    {
        if (variant.Faces[photo.Index].Points() is not { } landmarks) return;
        var chip = DlibChip.Extract(decoder.DecodeFile(photo.Path), landmarks);
        using var bitmap = ImageEncoder.ToBitmap(chip);
        using var image = SKImage.FromBitmap(bitmap);
        canvas.DrawImage(image, x, y, SKSamplingOptions.Default, null);
    }
}
