namespace Visage.Gallery.Storage;

/// <summary>Base of every error the gallery reports on purpose.</summary>
public abstract class GalleryException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>A person with that name already exists (names are unique, compared exactly).</summary>
public sealed class DuplicatePersonException(string name, Exception? inner = null)
    : GalleryException($"a person named '{name}' already exists", inner)
{
    /// <summary>The name that is taken.</summary>
    public string Name { get; } = name;
}

/// <summary>No person has that id.</summary>
public sealed class PersonNotFoundException(long personId)
    : GalleryException($"no person with id {personId}")
{
    /// <summary>The id that was not found.</summary>
    public long PersonId { get; } = personId;
}

/// <summary>
/// The gallery's file is not a Visage gallery: not a SQLite database, damaged (e.g. truncated), or another
/// application's database. The file is left exactly as it was found.
/// </summary>
public sealed class GalleryCorruptException(string location, string reason, Exception? inner = null)
    : GalleryException($"'{location}' is not a usable Visage gallery: {reason.TrimEnd('.')}. The file was left untouched.", inner)
{
    /// <summary>The file (or database) that was rejected.</summary>
    public string Location { get; } = location;
}

/// <summary>
/// The gallery cannot be reached or used right now for a reason other than damage: missing permissions, a directory
/// in the way, a full disk, a lock held longer than the busy timeout, or a schema from a newer Visage.
/// </summary>
public sealed class GalleryUnavailableException(string message, Exception? inner = null) : GalleryException(message, inner);
