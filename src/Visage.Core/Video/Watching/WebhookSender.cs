using System.Net.Http.Headers;
using System.Text;
using System.Threading.Channels;
using Visage.Video.Sources;

namespace Visage.Video.Watching;

/// <summary>How a <see cref="WebhookSender"/> posts.</summary>
public sealed record WebhookOptions
{
    /// <summary>Events waiting to be posted at most; when full the oldest is dropped (counted), so a dead receiver never grows memory.</summary>
    public int QueueCapacity { get; init; } = 256;

    /// <summary>Attempts per event (the first included); 5xx answers, 429 and network errors are retried, other 4xx are not.</summary>
    public int Attempts { get; init; } = 4;

    /// <summary>Delay before the first retry; doubled per retry.</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromSeconds(0.5);

    /// <summary>How long one request may take.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(5);
}

/// <summary>
/// Posts events to one URL as JSON (<c>Content-Type: application/json</c>, one event per request) from a background
/// loop, in order, with bounded retries and a bounded queue: the watcher never waits on the receiver. The URL is only
/// ever reported masked (<see cref="SourceUrl.MaskText"/>).
/// </summary>
public sealed class WebhookSender : IAsyncDisposable
{
    private readonly Uri _url;
    private readonly WebhookOptions _options;
    private readonly HttpClient _http;
    private readonly Channel<string> _queue;
    private readonly CancellationTokenSource _stop = new();
    private readonly Action<string>? _log;
    private readonly Task _loop;
    private long _sent, _failed, _dropped;

    /// <summary>Starts the sender.</summary>
    /// <param name="url">An absolute http(s) URL.</param>
    /// <param name="options">Queue and retry settings.</param>
    /// <param name="log">Told (masked) of each event given up on.</param>
    /// <param name="handler">The HTTP handler (tests); default a new one.</param>
    /// <exception cref="ArgumentException">Not an absolute http(s) URL.</exception>
    public WebhookSender(string url, WebhookOptions? options = null, Action<string>? log = null, HttpMessageHandler? handler = null)
    {
        _url = Parse(url);
        _options = options ?? new WebhookOptions();
        _log = log;
        _http = handler is null ? new HttpClient() : new HttpClient(handler);
        _http.Timeout = _options.RequestTimeout;
        _queue = Channel.CreateBounded<string>(
            new BoundedChannelOptions(_options.QueueCapacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true },
            _ => Interlocked.Increment(ref _dropped));
        _loop = Task.Run(LoopAsync);
    }

    /// <summary>The URL, masked of credentials.</summary>
    public string MaskedUrl => SourceUrl.MaskText(_url.OriginalString);

    /// <summary>Events the receiver accepted (2xx).</summary>
    public long Sent => Interlocked.Read(ref _sent);

    /// <summary>Events given up on after every attempt (or refused with a 4xx).</summary>
    public long Failed => Interlocked.Read(ref _failed);

    /// <summary>Events dropped unsent because the queue was full.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Checks that <paramref name="url"/> is an absolute http(s) URL.</summary>
    /// <exception cref="ArgumentException">It is not.</exception>
    public static Uri Parse(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            throw new ArgumentException($"the webhook '{SourceUrl.MaskText(url)}' is not an absolute http:// or https:// URL");
        return uri;
    }

    /// <summary>Queues one event (its JSON) for posting; never blocks.</summary>
    public void Post(string json) => _queue.Writer.TryWrite(json);

    /// <summary>Posts what is queued (each with its retries) for at most <paramref name="grace"/>, then stops.</summary>
    public async Task DrainAsync(TimeSpan grace)
    {
        _queue.Writer.TryComplete();
        if (await Task.WhenAny(_loop, Task.Delay(grace)).ConfigureAwait(false) != _loop) await _stop.CancelAsync().ConfigureAwait(false);
        try { await _loop.ConfigureAwait(false); }
        catch (OperationCanceledException) { }
    }

    /// <summary>Stops at once (events still queued are not sent).</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _stop.CancelAsync().ConfigureAwait(false);
        try { await _loop.ConfigureAwait(false); }
        catch (OperationCanceledException) { }
        _http.Dispose();
        _stop.Dispose();
    }

    private async Task LoopAsync()
    {
        await foreach (var json in _queue.Reader.ReadAllAsync(_stop.Token).ConfigureAwait(false))
        {
            if (await SendAsync(json).ConfigureAwait(false)) Interlocked.Increment(ref _sent);
            else Interlocked.Increment(ref _failed);
        }
    }

    private async Task<bool> SendAsync(string json)
    {
        var delay = _options.RetryDelay;
        string? why = null;
        for (var attempt = 1; attempt <= _options.Attempts; attempt++)
        {
            if (attempt > 1)
            {
                await Task.Delay(delay, _stop.Token).ConfigureAwait(false);
                delay *= 2;
            }
            try
            {
                using var content = new StringContent(json, Encoding.UTF8);
                content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                using var response = await _http.PostAsync(_url, content, _stop.Token).ConfigureAwait(false);
                if (response.IsSuccessStatusCode) return true;
                why = $"HTTP {(int)response.StatusCode}";
                var status = (int)response.StatusCode;
                if (status < 500 && status != 429) break; // the receiver refuses it: retrying will not help
            }
            catch (Exception e) when (e is HttpRequestException || (e is TaskCanceledException && !_stop.IsCancellationRequested))
            {
                why = e is TaskCanceledException ? "timed out" : SourceUrl.MaskText(e.Message);
            }
        }
        _log?.Invoke($"webhook {MaskedUrl}: an event was given up on ({why})");
        return false;
    }
}
