using System.Security.Cryptography;
using Visage.Gallery.Storage;

namespace Visage.Serve.Keys;

/// <summary>
/// Checks presented keys against the stored hashes. The keys are read from the store at most every
/// <see cref="RefreshInterval"/> (so a key made or revoked with <c>visage keys</c> takes effect within it) and kept in
/// memory, so recognition goes on while the database is briefly down. On the first successful read of a key table that
/// never held a key the first admin key is made: <c>VISAGE_ADMIN_KEY</c> when given, else a new one printed once. That
/// is all the variable does: once stored, the key is managed like any other, and a revoked one stays revoked.
/// </summary>
public sealed class ApiKeyRing(Func<ApiKeyStore> openStore, string? adminKey, TextWriter console, ILogger<ApiKeyRing> log) : IDisposable
{
    /// <summary>How long a read of the key table is trusted.</summary>
    public static readonly TimeSpan RefreshInterval = TimeSpan.FromSeconds(2);

    private readonly Lock _lock = new();
    private ApiKeyStore? _store;
    private IReadOnlyList<ApiKey>? _keys;
    private DateTime _readAt;

    /// <summary>The stored key matching <paramref name="presented"/>, or null.</summary>
    /// <exception cref="GalleryUnavailableException">The keys were never read and the database cannot be reached.</exception>
    public ApiKey? Find(string presented)
    {
        var hash = ApiKeySecret.Hash(presented);
        ApiKey? match = null;
        // Every stored hash is compared in full, in constant time: the time taken says nothing about which bytes matched.
        foreach (var key in Keys())
            if (CryptographicOperations.FixedTimeEquals(key.Sha256, hash)) match = key;
        return match;
    }

    /// <summary>The store, for managing keys (made on first use).</summary>
    public ApiKeyStore Store
    {
        get
        {
            lock (_lock) return _store ??= openStore();
        }
    }

    /// <summary>Forgets the cached keys, so the next check reads the store (after a key is made or revoked here).</summary>
    public void Invalidate()
    {
        lock (_lock) _readAt = default;
    }

    /// <summary>Reads the keys now (and makes the first admin key when there is none).</summary>
    public IReadOnlyList<ApiKey> Keys()
    {
        lock (_lock)
        {
            if (_keys is not null && DateTime.UtcNow - _readAt < RefreshInterval) return _keys;
            try
            {
                var firstRead = _keys is null;
                var keys = Store.List();
                if (keys.Count == 0 && Store.CountEver() == 0) keys = Bootstrap();
                if (firstRead && adminKey is not null && !keys.Any(k => k.Sha256.AsSpan().SequenceEqual(ApiKeySecret.Hash(adminKey))))
                    log.LogWarning("VISAGE_ADMIN_KEY is not a valid key of this gallery (it was revoked, or the gallery had keys before): it is not accepted");
                (_keys, _readAt) = (keys, DateTime.UtcNow);
            }
            catch (GalleryUnavailableException e) when (_keys is not null)
            {
                log.LogWarning("API keys not refreshed, using the last ones read: {Message}", e.Message);
            }
            return _keys;
        }
    }

    /// <summary>Closes the store.</summary>
    public void Dispose() => _store?.Dispose();

    private IReadOnlyList<ApiKey> Bootstrap()
    {
        using var _ = AuditActor.Begin(new AuditActor(null, "visage serve (first start)"));
        if (adminKey is not null)
        {
            Store.Add("admin (VISAGE_ADMIN_KEY)", KeyScope.Admin, adminKey);
            log.LogInformation("Admin API key taken from VISAGE_ADMIN_KEY");
        }
        else
        {
            var key = ApiKeySecret.Generate();
            Store.Add("admin (first start)", KeyScope.Admin, key);
            console.WriteLine($"visage: admin API key (shown only now; keep it): {key}");
            console.Flush();
        }
        return Store.List();
    }
}
