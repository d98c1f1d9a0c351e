using System.Data.Common;
using Npgsql;

namespace Visage.Gallery.Storage;

/// <summary>
/// Who is acting: an API key (its id and name) or a local user of the CLI. Every write made while an actor is set
/// (<see cref="Begin"/>, which the service does for each request and the CLI for each command) is recorded in the
/// audit log in the same transaction as the write itself; writes made with no actor (the Frigate bridge, retention)
/// are not admin actions and are not recorded.
/// </summary>
/// <param name="KeyId">The API key's id, or null for the CLI.</param>
/// <param name="Name">The key's name, or <c>cli (USER)</c>.</param>
public sealed record AuditActor(long? KeyId, string Name)
{
    private static readonly AsyncLocal<AuditActor?> Acting = new();

    /// <summary>The actor of the current request or command, or null.</summary>
    public static AuditActor? Current => Acting.Value;

    /// <summary>The CLI run by the current operating-system user.</summary>
    public static AuditActor Cli() => new(null, $"cli ({Environment.UserName})");

    /// <summary>Sets the actor for the calling flow until the returned scope is disposed.</summary>
    public static IDisposable Begin(AuditActor? actor)
    {
        var previous = Acting.Value;
        Acting.Value = actor;
        return new Scope(previous);
    }

    private sealed class Scope(AuditActor? previous) : IDisposable
    {
        public void Dispose() => Acting.Value = previous;
    }
}

/// <summary>One admin action: when, who, what, on which id. Never a name or a descriptor, so erasure stays complete.</summary>
/// <param name="Id">The entry's number (increasing).</param>
/// <param name="AtUtc">When it was committed (the writer's clock).</param>
/// <param name="KeyId">The API key's id, or null for the CLI.</param>
/// <param name="Actor">The key's name, or <c>cli (USER)</c>.</param>
/// <param name="Action">What was done, e.g. <c>person.delete</c> (see docs/API.md for the list).</param>
/// <param name="TargetId">The id of what it was done to, when there is one.</param>
/// <param name="Detail">More about it (counts, a scope), never personal data.</param>
public sealed record AuditEntry(long Id, DateTime AtUtc, long? KeyId, string Actor, string Action, long? TargetId, string? Detail);

/// <summary>A page of the audit log, newest first.</summary>
/// <param name="SinceUtc">Only entries at or after this time.</param>
/// <param name="BeforeId">Only entries numbered below this (the next page).</param>
/// <param name="Limit">The most entries to return (1 to <see cref="AuditLog.MaxPage"/>).</param>
public sealed record AuditQuery(DateTime? SinceUtc = null, long? BeforeId = null, int Limit = 100);

/// <summary>
/// The audit log of a gallery's database (<c>audit_log</c>, beside the gallery's tables, so every process sharing the
/// gallery writes one log). Entries are appended by the writes themselves (<see cref="Append"/>) and never changed.
/// </summary>
public sealed class AuditLog
{
    /// <summary>The largest page of <see cref="List"/>.</summary>
    public const int MaxPage = 1000;

    private readonly SqlGalleryStore _db;

    /// <summary>The audit log of the store's database.</summary>
    /// <exception cref="NotSupportedException">The store is not one of the SQL stores.</exception>
    public AuditLog(IGalleryStore store) =>
        _db = store as SqlGalleryStore ?? throw new NotSupportedException($"the audit log needs a SQL gallery store, not {store.GetType().Name}");

    /// <summary>Entries matching <paramref name="query"/>, newest first.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The limit is not between 1 and <see cref="MaxPage"/>.</exception>
    public IReadOnlyList<AuditEntry> List(AuditQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfLessThan(query.Limit, 1, nameof(query));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(query.Limit, MaxPage, nameof(query));
        var where = new List<string>();
        var parameters = new List<(string, object?)> { ("@limit", query.Limit) };
        if (query.SinceUtc is { } since)
        {
            where.Add("at >= @since");
            parameters.Add(("@since", _db.TimeValue(since.ToUniversalTime())));
        }
        if (query.BeforeId is { } before)
        {
            where.Add("id < @before");
            parameters.Add(("@before", before));
        }
        var sql = "SELECT id, at, key_id, actor, action, target_id, detail FROM audit_log" +
            (where.Count > 0 ? " WHERE " + string.Join(" AND ", where) : "") + " ORDER BY id DESC LIMIT @limit";
        return _db.Run(c => SqlGalleryStore.ReadAll(SqlGalleryStore.Command(c, null, sql, [.. parameters]), r => new AuditEntry(
            r.GetInt64(0), _db.ReadTime(r, 1), r.IsDBNull(2) ? null : r.GetInt64(2), r.GetString(3), r.GetString(4),
            r.IsDBNull(5) ? null : r.GetInt64(5), r.IsDBNull(6) ? null : r.GetString(6))));
    }

    /// <summary>
    /// Records <paramref name="action"/> by <see cref="AuditActor.Current"/> in the transaction <paramref name="tx"/> of a
    /// write (nothing when no actor is set). Works on both databases (the connection says which).
    /// </summary>
    /// <param name="c">The write's connection to the gallery's database.</param>
    /// <param name="tx">The write's transaction.</param>
    /// <param name="action">What is done, e.g. <c>person.delete</c>.</param>
    /// <param name="targetId">The id it is done to.</param>
    /// <param name="detail">More about it; never personal data.</param>
    public static void Append(DbConnection c, DbTransaction? tx, string action, long? targetId, string? detail = null)
    {
        ArgumentNullException.ThrowIfNull(c);
        if (AuditActor.Current is not { } actor) return;
        var now = DateTime.UtcNow;
        object at = c is NpgsqlConnection ? now : SqliteGalleryStore.IsoTime(now); // as each store keeps times
        SqlGalleryStore.NonQuery(c, tx,
            "INSERT INTO audit_log(at, key_id, actor, action, target_id, detail) VALUES (@at, @key, @actor, @action, @target, @detail)",
            ("@at", at), ("@key", actor.KeyId), ("@actor", actor.Name), ("@action", action), ("@target", targetId), ("@detail", detail));
    }
}
