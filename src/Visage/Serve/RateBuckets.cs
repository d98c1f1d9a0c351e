using Npgsql;
using Visage.Gallery.Storage;

namespace Visage.Serve;

/// <summary>
/// Token buckets shared by every replica of a PostgreSQL gallery, one row per API key in an <c>UNLOGGED</c> table
/// (<c>rate_buckets</c>: no write-ahead log, emptied by a crash of the server, when every bucket starts full again).
/// Taking a token is one statement: the row is refilled for the time since it was last touched, up to the burst, and a
/// token taken when one is there; the row lock makes concurrent takes from any replica add up exactly.
/// </summary>
public sealed class RateBuckets : IDisposable
{
    // The bucket's tokens after refilling to now (clock_timestamp(): read after the row lock, so never behind the row's time).
    private const string Refilled = "least(@burst, b.tokens + greatest(0, extract(epoch FROM clock_timestamp() - b.at)) * @rate)";

    private readonly NpgsqlDataSource _source;
    private volatile bool _ready;

    /// <summary>Buckets in the database at <paramref name="location"/> (a PostgreSQL gallery); nothing is read until used.</summary>
    /// <param name="location">The gallery's connection string.</param>
    public RateBuckets(string location)
    {
        var builder = PostgresLocation.Parse(location);
        // Short timeouts: a request waits at most this long before its replica limits it alone.
        (builder.Timeout, builder.CommandTimeout, builder.ApplicationName) = (2, 2, "visage rate limits");
        _source = NpgsqlDataSource.Create(builder);
    }

    /// <summary>Takes one token from <paramref name="key"/>'s bucket.</summary>
    /// <returns>Whether a token was there, and when the next one will be.</returns>
    /// <exception cref="NpgsqlException">The database cannot be reached.</exception>
    public async Task<(bool Admitted, TimeSpan RetryAfter)> TakeAsync(string key, int burst, int perSecond, CancellationToken cancel)
    {
        try
        {
            return await TakeOnceAsync(key, burst, perSecond, cancel);
        }
        catch (NpgsqlException)
        {
            _source.Clear(); // a lost server leaves dead pooled connections (as GalleryDatabase.Run does)
            throw;
        }
    }

    private async Task<(bool Admitted, TimeSpan RetryAfter)> TakeOnceAsync(string key, int burst, int perSecond, CancellationToken cancel)
    {
        await using var connection = await _source.OpenConnectionAsync(cancel);
        if (!_ready)
        {
            await using var create = new NpgsqlCommand(
                "CREATE UNLOGGED TABLE IF NOT EXISTS rate_buckets (key text PRIMARY KEY, tokens double precision NOT NULL, at timestamptz NOT NULL, admitted boolean NOT NULL)",
                connection);
            await create.ExecuteNonQueryAsync(cancel);
            _ready = true;
        }
        await using var take = new NpgsqlCommand(
            $"""
            INSERT INTO rate_buckets AS b (key, tokens, at, admitted) VALUES (@key, @burst - 1, clock_timestamp(), true)
            ON CONFLICT (key) DO UPDATE SET
                admitted = {Refilled} >= 1,
                tokens = CASE WHEN {Refilled} >= 1 THEN {Refilled} - 1 ELSE {Refilled} END,
                at = clock_timestamp()
            RETURNING admitted, tokens
            """, connection);
        take.Parameters.AddWithValue("key", key);
        take.Parameters.AddWithValue("burst", (double)burst);
        take.Parameters.AddWithValue("rate", (double)perSecond);
        await using var reader = await take.ExecuteReaderAsync(cancel);
        await reader.ReadAsync(cancel);
        var admitted = reader.GetBoolean(0);
        return (admitted, admitted ? TimeSpan.Zero : TimeSpan.FromSeconds((1 - reader.GetDouble(1)) / perSecond));
    }

    /// <summary>Closes the pool.</summary>
    public void Dispose() => _source.Dispose();
}
