using System.Collections.Concurrent;
using System.Net;
using System.Text;

namespace Visage.Video.Tests.Servers;

/// <summary>
/// A webhook receiver on a loopback port (<see cref="HttpListener"/>): records what is posted, and answers with the
/// statuses queued in <see cref="Answers"/> (200 once they run out).
/// </summary>
public sealed class WebhookReceiver : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly ConcurrentQueue<(string Type, string Body)> _received = new();
    private int _requests;

    public WebhookReceiver()
    {
        Port = ServerProcess.FreePort();
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _ = Task.Run(ServeAsync);
    }

    public int Port { get; }

    /// <summary>Statuses to answer, in order, before answering 200.</summary>
    public ConcurrentQueue<int> Answers { get; } = new();

    /// <summary>Requests answered so far (refused ones included).</summary>
    public int Requests => Volatile.Read(ref _requests);

    /// <summary>The bodies answered with 200, in order, with their media type.</summary>
    public IReadOnlyList<(string Type, string Body)> Received => [.. _received];

    /// <summary>The receiver's URL with <paramref name="path"/>, and user info when given.</summary>
    public string Url(string path, string? userInfo = null) => $"http://{(userInfo is null ? "" : userInfo + "@")}127.0.0.1:{Port}{path}";

    /// <summary>Stops listening: connections are refused from now on.</summary>
    public void Stop() => _listener.Stop();

    public void Dispose() => _listener.Close();

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try { context = await _listener.GetContextAsync(); }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException) { return; }
            Interlocked.Increment(ref _requests);
            using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
            var body = await reader.ReadToEndAsync();
            var status = Answers.TryDequeue(out var s) ? s : 200;
            if (status == 200) _received.Enqueue((context.Request.ContentType?.Split(';')[0] ?? "", body));
            context.Response.StatusCode = status;
            context.Response.Close();
        }
    }
}
