using SkiaSharp;

namespace Visage.Browser.Tests;

/// <summary>
/// Video files for Chromium's fake camera (<c>--use-file-for-fake-video-capture</c>): real photos laid out on a
/// 640x480 frame, written as Y4M (YUV 4:2:0), which Chromium plays in a loop.
/// </summary>
public static class FakeCamera
{
    public const int Width = 640, Height = 480;

    /// <summary>Writes a Y4M file of <paramref name="frames"/> identical frames showing the photos side by side.</summary>
    /// <param name="path">The .y4m file to write.</param>
    /// <param name="photos">Photos placed left to right, each scaled into a square of <paramref name="side"/> pixels.</param>
    public static void Write(string path, IReadOnlyList<string> photos, int side, int frames = 10)
    {
        using var frame = new SKBitmap(new SKImageInfo(Width, Height, SKColorType.Rgba8888, SKAlphaType.Opaque));
        using (var canvas = new SKCanvas(frame))
        {
            canvas.Clear(new SKColor(40, 44, 52));
            var gap = (Width - photos.Count * side) / (photos.Count + 1);
            for (var i = 0; i < photos.Count; i++)
            {
                using var photo = SKBitmap.Decode(photos[i]) ?? throw new InvalidDataException(photos[i]);
                var x = gap + i * (side + gap);
                canvas.DrawImage(SKImage.FromBitmap(photo), new SKRect(x, (Height - side) / 2f, x + side, (Height + side) / 2f),
                    new SKSamplingOptions(SKCubicResampler.Mitchell));
            }
        }
        var yuv = ToI420(frame.Bytes);
        using var file = File.Create(path);
        file.Write(System.Text.Encoding.ASCII.GetBytes($"YUV4MPEG2 W{Width} H{Height} F10:1 Ip A1:1 C420jpeg XYSCSS=420JPEG\n"));
        for (var f = 0; f < frames; f++)
        {
            file.Write("FRAME\n"u8);
            file.Write(yuv);
        }
    }

    /// <summary>RGBA to planar Y, U, V (BT.601, full range; chroma averaged over 2x2 blocks).</summary>
    private static byte[] ToI420(byte[] rgba)
    {
        var yuv = new byte[Width * Height * 3 / 2];
        var uPlane = Width * Height;
        var vPlane = uPlane + Width * Height / 4;
        for (var y = 0; y < Height; y++)
            for (var x = 0; x < Width; x++)
            {
                var p = (y * Width + x) * 4;
                yuv[y * Width + x] = Clamp(0.299 * rgba[p] + 0.587 * rgba[p + 1] + 0.114 * rgba[p + 2]);
            }
        for (var y = 0; y < Height / 2; y++)
            for (var x = 0; x < Width / 2; x++)
            {
                double r = 0, g = 0, b = 0;
                for (var dy = 0; dy < 2; dy++)
                    for (var dx = 0; dx < 2; dx++)
                    {
                        var p = ((2 * y + dy) * Width + 2 * x + dx) * 4;
                        r += rgba[p] / 4.0; g += rgba[p + 1] / 4.0; b += rgba[p + 2] / 4.0;
                    }
                yuv[uPlane + y * Width / 2 + x] = Clamp(128 - 0.168736 * r - 0.331264 * g + 0.5 * b);
                yuv[vPlane + y * Width / 2 + x] = Clamp(128 + 0.5 * r - 0.418688 * g - 0.081312 * b);
            }
        return yuv;
    }

    private static byte Clamp(double v) => (byte)Math.Clamp(Math.Round(v), 0, 255);
}
