namespace Visage;

/// <summary>
/// Where Visage keeps its cache (models, converted graphs) and its default gallery:
/// <c>$VISAGE_HOME</c>, else <c>$XDG_CACHE_HOME/visage</c>, else <c>~/.cache/visage</c>.
/// </summary>
public static class VisageHome
{
    /// <summary>The cache directory (not created by this call).</summary>
    public static string Directory
    {
        get
        {
            var home = Environment.GetEnvironmentVariable("VISAGE_HOME");
            if (!string.IsNullOrWhiteSpace(home)) return Path.GetFullPath(home);
            var xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
            if (!string.IsNullOrWhiteSpace(xdg)) return Path.Combine(Path.GetFullPath(xdg), "visage");
            return Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "visage");
        }
    }

    /// <summary>The default gallery database: <c>visage.db</c> in the cache directory.</summary>
    public static string DefaultDatabasePath => Path.Combine(Directory, "visage.db");
}
