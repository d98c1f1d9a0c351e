using Npgsql;

namespace Visage.Gallery.Storage;

/// <summary>Turns Npgsql's failures into the gallery's exceptions.</summary>
internal static class PostgresErrors
{
    // https://www.postgresql.org/docs/current/errcodes-appendix.html
    public const string UniqueViolation = "23505";
    public const string ForeignKeyViolation = "23503";

    /// <summary>
    /// The gallery exception for <paramref name="e"/>, or null when it is not about reaching or trusting the database
    /// (a constraint or SQL error is a bug or is handled where it happens).
    /// </summary>
    public static GalleryException? Translate(Exception e, string location) => e switch
    {
        PostgresException { SqlState: "XX001" or "XX002" } p => new GalleryCorruptException(location, p.MessageText, p),
        PostgresException p when IsUnavailable(p.SqlState) =>
            new GalleryUnavailableException($"the gallery '{location}' cannot be used: {p.MessageText}", p),
        PostgresException => null,
        // Not a server error: the connection could not be made or was lost (refused, reset, timed out, pool exhausted).
        NpgsqlException or TimeoutException =>
            new GalleryUnavailableException($"the gallery '{location}' cannot be reached: {e.Message}", e),
        _ => null,
    };

    /// <summary>True when the failure says the connection itself is gone, so pooled connections should be dropped.</summary>
    public static bool IsConnectionLoss(Exception e) => e is NpgsqlException and not PostgresException
        || e is PostgresException p && IsUnavailable(p.SqlState);

    // 08: connection exception; 53: insufficient resources; 57P: shutdown / cannot connect now; 28: authorization;
    // 3D000: no such database; 25006: read-only transaction (a standby); 40001/40P01: serialization failure, deadlock.
    private static bool IsUnavailable(string state) =>
        state.StartsWith("08", StringComparison.Ordinal) || state.StartsWith("53", StringComparison.Ordinal)
        || state.StartsWith("57P", StringComparison.Ordinal) || state.StartsWith("28", StringComparison.Ordinal)
        || state is "3D000" or "25006" or "40001" or "40P01";
}
