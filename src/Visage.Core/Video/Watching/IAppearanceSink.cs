namespace Visage.Video.Watching;

/// <summary>
/// Where every finished appearance goes (the sightings store in the service; <see cref="InMemoryAppearanceSink"/> in
/// tests and the CLI). Called on the watcher's thread once per appearance, after its <c>left</c> event: keep it quick
/// (a database insert is fine; network calls belong on a queue of their own).
/// </summary>
public interface IAppearanceSink
{
    /// <summary>Takes one finished appearance. An exception is logged by the caller and does not stop the watcher.</summary>
    void Add(Appearance appearance);
}
