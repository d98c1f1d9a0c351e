using SkiaSharp;
using Visage.Faces;

namespace Visage.Imaging;

/// <summary>A box to draw with an optional label and landmarks; known faces green, unknown ones red.</summary>
/// <param name="Box">Box in image pixels.</param>
/// <param name="Label">Text under the box, or null.</param>
/// <param name="Known">Green when true, red when false.</param>
/// <param name="Landmarks">Points to dot, or null.</param>
public sealed record Annotation(BoundingBox Box, string? Label, bool Known, FaceLandmarks? Landmarks = null);

/// <summary>Draws boxes, names and landmarks on a copy of an image, with a bundled font (DejaVu Sans Bold).</summary>
public static class ImageAnnotator
{
    /// <summary>Returns an annotated copy.</summary>
    public static RgbImage Draw(RgbImage image, IEnumerable<Annotation> annotations)
    {
        using var bitmap = ImageEncoder.ToBitmap(image);
        using (var canvas = new SKCanvas(bitmap))
        {
            var scale = Math.Max(1f, Math.Max(image.Width, image.Height) / 640f);
            using var font = new SKFont(BundledFont.Typeface, 14 * scale);
            foreach (var a in annotations)
            {
                var color = a.Known ? new SKColor(40, 200, 70) : new SKColor(230, 50, 50);
                using var stroke = new SKPaint { Color = color, Style = SKPaintStyle.Stroke, StrokeWidth = 2 * scale, IsAntialias = true };
                var rect = SKRect.Create((float)a.Box.X, (float)a.Box.Y, (float)a.Box.Width, (float)a.Box.Height);
                canvas.DrawRect(rect, stroke);
                if (a.Landmarks is not null)
                {
                    using var dot = new SKPaint { Color = color, Style = SKPaintStyle.Fill, IsAntialias = true };
                    foreach (var p in a.Landmarks.Points) canvas.DrawCircle((float)p.X, (float)p.Y, 1.5f * scale, dot);
                }
                if (string.IsNullOrEmpty(a.Label)) continue;
                var width = font.MeasureText(a.Label);
                var height = font.Size * 1.3f;
                var top = Math.Min(rect.Bottom, image.Height - height);
                using var fill = new SKPaint { Color = color, Style = SKPaintStyle.Fill };
                canvas.DrawRect(SKRect.Create(rect.Left, top, width + 8 * scale, height), fill);
                using var text = new SKPaint { Color = SKColors.White, IsAntialias = true };
                canvas.DrawText(a.Label, rect.Left + 4 * scale, top + font.Size, SKTextAlign.Left, font, text);
            }
        }
        return ImageEncoder.FromBitmap(bitmap);
    }
}
