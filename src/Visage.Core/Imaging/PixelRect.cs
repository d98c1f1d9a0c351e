namespace Visage.Imaging;

/// <summary>An integer rectangle of pixels: columns <c>X .. X+Width-1</c>, rows <c>Y .. Y+Height-1</c>.</summary>
public readonly record struct PixelRect(int X, int Y, int Width, int Height)
{
    /// <summary>
    /// face-api.js's <c>Box.clipAtImageBorders</c> followed by flooring each side: the crop it slices for a box.
    /// Empty (<c>Width</c> or <c>Height</c> &lt;= 0) when the box lies outside the image.
    /// </summary>
    public static PixelRect ClipFloor(double x, double y, double width, double height, int imageWidth, int imageHeight)
    {
        var x0 = Math.Max(x, 0);
        var y0 = Math.Max(y, 0);
        var w = Math.Min(x + width - x0, imageWidth - x0);
        var h = Math.Min(y + height - y0, imageHeight - y0);
        return new PixelRect((int)Math.Floor(x0), (int)Math.Floor(y0), (int)Math.Floor(w), (int)Math.Floor(h));
    }

    /// <summary>True when the rectangle covers no pixel.</summary>
    public bool IsEmpty => Width <= 0 || Height <= 0;
}
