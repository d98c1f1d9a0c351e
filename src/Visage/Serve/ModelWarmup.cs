using Visage.Gallery.Storage;
using Visage.Gallery;
using Visage.Imaging;
using Visage.Pipeline;
using Visage.Serve.Keys;

namespace Visage.Serve;

/// <summary>
/// At start, in the background: loads every network (one analysis of a blank image) while it reads the API keys (making
/// the first admin key, shown right after the address) and opens the gallery, retrying while the database is down.
/// <c>/ready</c> waits for both.
/// </summary>
public sealed class ModelWarmup(FaceAnalyzer analyzer, ApiKeyRing keys, GalleryHost galleries, IHostApplicationLifetime lifetime, ILogger<ModelWarmup> log)
    : BackgroundService
{
    private static readonly TimeSpan RetryEvery = TimeSpan.FromSeconds(2);

    private volatile bool _warm;

    /// <summary>True once the networks are loaded.</summary>
    public bool IsWarm => _warm;

    /// <summary>Why the networks could not be loaded, if they could not.</summary>
    public string? Error { get; private set; }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Started(stoppingToken); // the address is printed first, then the admin key this may make
        if (stoppingToken.IsCancellationRequested) return; // the start failed (a port taken): nothing to load, and no error to log beside serve's one line
        var models = Task.Run(LoadModels, stoppingToken);
        await OpenKeysAndGallery(stoppingToken);
        await models;
    }

    private Task Started(CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lifetime.ApplicationStarted.Register(() => started.TrySetResult());
        stoppingToken.Register(() => started.TrySetResult());
        return started.Task;
    }

    private void LoadModels()
    {
        try
        {
            analyzer.Analyze(new RgbImage(64, 64, new byte[64 * 64 * 3]));
            _warm = true;
        }
        catch (Exception e)
        {
            Error = $"The face models could not be loaded: {e.Message}";
            log.LogError(e, "The face models could not be loaded");
        }
    }

    private async Task OpenKeysAndGallery(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                keys.Keys();
                _ = galleries.Gallery;
                return;
            }
            catch (GalleryUnavailableException e)
            {
                log.LogWarning("Gallery not reachable yet, retrying in {Seconds} s: {Message}", RetryEvery.TotalSeconds, e.Message);
            }
            catch (GalleryCorruptException e)
            {
                log.LogCritical("{Message}", e.Message);
                return;
            }
            await Task.Delay(RetryEvery, stoppingToken);
        }
    }
}
