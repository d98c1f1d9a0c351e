using System.CommandLine;
using Visage.Gallery.Storage;
using Visage.Gallery;

namespace Visage.Cli;

/// <summary><c>--db</c>: the gallery (a SQLite file or a PostgreSQL connection string); default $VISAGE_DB, else visage.db in the cache.</summary>
public sealed class GalleryOption
{
    public Option<string?> Db { get; } = new("--db")
    {
        Description = "Gallery database: a SQLite file path or a PostgreSQL connection string (default: $VISAGE_DB, else visage.db in the cache)",
    };

    public void AddTo(Command command) => command.Add(Db);

    /// <summary>The gallery location asked for (or the default); for a SQLite file, its full path, with its folder created.</summary>
    public string Location(ParseResult r)
    {
        var location = r.GetValue(Db) ?? GalleryStores.DefaultLocation;
        if (GalleryStores.IsPostgres(location)) return location;
        location = Path.GetFullPath(location);
        Directory.CreateDirectory(Path.GetDirectoryName(location)!);
        return location;
    }

    /// <summary>The store alone (no index loaded), for managing persons.</summary>
    public IGalleryStore OpenStore(ParseResult r) => GalleryStores.Open(Location(r));

    /// <summary>The gallery with its index for the analyzer's model id; warns about vectors of other models.</summary>
    public FaceGallery Open(ParseResult r, string modelId)
    {
        var gallery = new FaceGallery(OpenStore(r), modelId);
        if (gallery.Count().OtherModelsWarning(modelId) is { } warning) Console.Error.WriteLine($"visage: warning: {warning}");
        return gallery;
    }
}
