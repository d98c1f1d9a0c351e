using Visage.Imaging;

namespace Visage.Detection;

/// <summary>Overlapping square tiles covering an image, for running a detector on small faces at a usable scale.</summary>
public static class ImageTiles
{
    /// <summary>
    /// Tile side for a photo: at least the detector input (faces in a tile are never shrunk) and at least the long
    /// side / 2.5, so that a huge photo needs about a dozen tiles, not hundreds.
    /// </summary>
    public static int TileSide(int width, int height, int detectorInput) =>
        Math.Max(detectorInput, (int)Math.Ceiling(Math.Max(width, height) / 2.5));

    /// <summary>
    /// True when tiling can help: the full pass shrinks the photo by more than 1.25 (below that a tile sees the
    /// faces at about the same scale as the full pass).
    /// </summary>
    public static bool Worthwhile(int width, int height, int detectorInput) => Math.Max(width, height) > detectorInput * 1.25;

    /// <summary>The tiles: a grid of <paramref name="side"/>-pixel squares (clipped to the image), neighbours overlapping by <paramref name="overlap"/> of a side.</summary>
    public static IReadOnlyList<PixelRect> Grid(int width, int height, int side, double overlap)
    {
        var xs = Starts(width, side, overlap);
        var ys = Starts(height, side, overlap);
        var tiles = new List<PixelRect>(xs.Count * ys.Count);
        foreach (var y in ys)
            foreach (var x in xs)
                tiles.Add(new PixelRect(x, y, Math.Min(side, width - x), Math.Min(side, height - y)));
        return tiles;
    }

    /// <summary>Evenly spread starts from 0 to <c>extent - side</c> so that neighbours overlap by at least the asked share.</summary>
    private static List<int> Starts(int extent, int side, double overlap)
    {
        if (extent <= side) return [0];
        var step = side * (1 - overlap);
        var count = (int)Math.Ceiling((extent - side) / step) + 1;
        var starts = new List<int>(count);
        for (var i = 0; i < count; i++) starts.Add((int)Math.Round((extent - side) * (double)i / (count - 1)));
        return starts;
    }

    /// <summary>
    /// True when a box found in a tile touches a tile edge that is not an image edge: such a box may be a cut face,
    /// and with enough overlap the whole face lies inside a neighbouring tile (or the full pass) anyway.
    /// </summary>
    public static bool TouchesInnerEdge(Faces.BoundingBox box, PixelRect tile, int imageWidth, int imageHeight, double margin = 2)
    {
        if (tile.X > 0 && box.X <= tile.X + margin) return true;
        if (tile.Y > 0 && box.Y <= tile.Y + margin) return true;
        if (tile.X + tile.Width < imageWidth && box.Right >= tile.X + tile.Width - margin) return true;
        return tile.Y + tile.Height < imageHeight && box.Bottom >= tile.Y + tile.Height - margin;
    }
}
