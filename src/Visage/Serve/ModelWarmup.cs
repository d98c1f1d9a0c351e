using Visage.Gallery;
using Visage.Imaging;
using Visage.Serve.Keys;

namespace Visage.Serve;

/// <summary>
/// At start, in the background: loads every network (one analysis of a blank image), then reads the API keys (making
/// the first admin key) and opens the gallery, retrying while the database is down. <c>/ready</c> waits for both.
/// </summary>
public sealed class ModelWarmup(FaceAnalyzer analyzer, ApiKeyRing keys, GalleryHost galleries, ILogger<ModelWarmup> log) : BackgroundService
{
    private static readonly TimeSpan RetryEvery = TimeSpan.FromSeconds(2);

    private volatile bool _warm;

    /// <summary>True once the networks are loaded.</summary>
    public bool IsWarm => _warm;

    /// <summary>Why the networks could not be loaded, if they could not.</summary>
    public string? Error { get; private set; }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await Task.Run(() => analyzer.Analyze(new RgbImage(64, 64, new byte[64 * 64 * 3])), stoppingToken);
            _warm = true;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Error = $"The face models could not be loaded: {e.Message}";
            log.LogError(e, "The face models could not be loaded");
        }
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
