using System.Diagnostics;
using System.Net;
using System.Runtime.CompilerServices;
using Visage.Imaging;

namespace Visage.Video.Sources;

/// <summary>
/// Frames from an HTTP snapshot URL (<c>snapshot.jpg</c>, <c>latest.jpg</c> of NVRs and cheap cameras), fetched at
/// an interval with <see cref="HttpClient"/> and decoded by <see cref="ImageDecoder"/>. Credentials (the URL's
/// user info, or given to <see cref="SourceUrl.Parse"/>) answer the server's challenge, HTTP basic or digest.
/// A failed request, a timeout or an undecodable answer is counted and retried with backoff; it never ends the
/// source. Requests are made only as the consumer asks for frames, so nothing queues up and nothing is dropped.
/// </summary>
public sealed class SnapshotFrameSource : IFrameSource
{
    private readonly SnapshotSourceOptions _options;
    private readonly HttpClient _client;
    private readonly ImageDecoder _decoder;
    private readonly Uri _uri;

    /// <summary>A source over an http(s) URL.</summary>
    /// <exception cref="ArgumentException">Not an http(s) URL, or bad options.</exception>
    public SnapshotFrameSource(SourceUrl source, SnapshotSourceOptions? options = null, ImageDecoder? decoder = null)
    {
        if (!Uri.TryCreate(source.WithoutCredentials, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            throw new ArgumentException($"{source} is not an http(s) snapshot URL");
        _options = options ?? new SnapshotSourceOptions();
        _options.Validate();
        _uri = uri;
        _decoder = decoder ?? new ImageDecoder();
        Source = source;
        var handler = new SocketsHttpHandler { Credentials = source.Credentials, PreAuthenticate = true };
        _client = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan, MaxResponseContentBufferSize = _options.MaxResponseBytes };
    }

    /// <inheritdoc/>
    public SourceUrl Source { get; }

    /// <inheritdoc/>
    public SourceCounters Counters { get; } = new();

    /// <inheritdoc/>
    public async IAsyncEnumerable<VideoFrame> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var since = Stopwatch.StartNew();
        var backoff = new Backoff(_options.RetryDelay, _options.MaxRetryDelay);
        var index = 0L;
        var due = TimeSpan.Zero;
        while (true)
        {
            if (due > since.Elapsed) await Task.Delay(due - since.Elapsed, cancellationToken).ConfigureAwait(false);
            var started = since.Elapsed;
            var (image, error) = await FetchAsync(cancellationToken).ConfigureAwait(false);
            if (image is null)
            {
                Counters.Failed($"{Source}: {error}");
                due = since.Elapsed + backoff.Next();
                continue;
            }
            backoff.Reset();
            due = started + _options.Interval;
            Counters.Decoded();
            Counters.Delivered();
            yield return new VideoFrame(image, index++, since.Elapsed.TotalSeconds, DateTimeOffset.UtcNow);
        }
    }

    /// <summary>Releases the HTTP client.</summary>
    public ValueTask DisposeAsync()
    {
        _client.Dispose();
        return ValueTask.CompletedTask;
    }

    private async Task<(RgbImage? Image, string? Error)> FetchAsync(CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.RequestTimeout);
        try
        {
            using var response = await _client.GetAsync(_uri, timeout.Token).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
                return (null, $"HTTP {(int)response.StatusCode} {response.ReasonPhrase}{Hint(response.StatusCode)}");
            var bytes = await response.Content.ReadAsByteArrayAsync(timeout.Token).ConfigureAwait(false);
            return (_decoder.Decode(bytes), null);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return (null, $"no answer within {_options.RequestTimeout.TotalSeconds:0.#} s");
        }
        catch (HttpRequestException e)
        {
            return (null, SourceUrl.MaskText(e.Message, Source.Credentials));
        }
        catch (ImageDecodeException e)
        {
            return (null, $"the answer is not a usable image: {e.Message}");
        }
    }

    private static string Hint(HttpStatusCode status) => status switch
    {
        HttpStatusCode.Unauthorized => " (check the user name and password)",
        HttpStatusCode.Forbidden => " (the camera refuses this user)",
        HttpStatusCode.NotFound => " (check the snapshot path)",
        _ => "",
    };
}
