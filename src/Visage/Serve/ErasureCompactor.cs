using Visage.Gallery.Storage;

namespace Visage.Serve;

/// <summary>
/// Makes erasures final on disk in the background (PostgreSQL galleries only; SQLite erases at once): every few seconds
/// it asks the store to rewrite the tables whose pending erasures are <see cref="ServiceOptions.ErasureDelay"/> old
/// (<see cref="IGalleryStore.CompleteErasures"/>). Replicas coordinate through the database: one rewrites at a time,
/// and erasures made by a replica that stopped are completed by another.
/// </summary>
public sealed class ErasureCompactor(GalleryHost galleries, ServiceOptions options, ILogger<ErasureCompactor> log) : BackgroundService
{
    /// <summary>How often pending erasures are looked for (a tiny query): at most 5 s, sooner with a shorter delay.</summary>
    public TimeSpan Poll => options.ErasureDelay < TimeSpan.FromSeconds(5) ? TimeSpan.FromSeconds(Math.Max(0.2, options.ErasureDelay.TotalSeconds)) : TimeSpan.FromSeconds(5);

    private bool _warnedNotPermitted;

    protected override async Task ExecuteAsync(CancellationToken stop)
    {
        using var timer = new PeriodicTimer(Poll);
        while (await timer.NextAsync(stop))
        {
            try
            {
                var report = await Task.Run(galleries.CompleteErasures, stop);
                if (report.Compacted.Count > 0)
                    log.LogInformation("Erasure completed on disk: rewrote {Tables}", string.Join(", ", report.Compacted));
                if (report.NotPermitted.Count > 0 && !_warnedNotPermitted)
                {
                    _warnedNotPermitted = true;
                    log.LogWarning("Erasure: {Tables} may hold statistics sampled before this version; only a superuser may rewrite it: run VACUUM FULL {Tables} once as one",
                        string.Join(", ", report.NotPermitted), string.Join(", ", report.NotPermitted));
                }
            }
            catch (GalleryException e)
            {
                log.LogDebug("Erasure: {Message}; trying again later", e.Message);
            }
        }
    }
}
