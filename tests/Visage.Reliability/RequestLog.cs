using System.Collections.Concurrent;
using System.Diagnostics;

namespace Visage.Reliability;

/// <summary>One answer: what was asked, when (seconds since the harness started), how long it took, and the status (0: no answer).</summary>
public sealed record Answer(string Kind, double Start, double End, int Status, bool RetryAfter)
{
    public double Milliseconds => (End - Start) * 1000;
}

/// <summary>Every answer a harness's clients got, with their timing on one clock.</summary>
public sealed class RequestLog
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly ConcurrentQueue<Answer> _answers = new();

    public double Now => _clock.Elapsed.TotalSeconds;

    public IEnumerable<Answer> Answers => _answers;

    /// <summary>Sends a request and records its answer (status 0 when the connection failed or timed out).</summary>
    public async Task<Answer> SendAsync(HttpClient client, string kind, HttpMethod method, string path, Func<HttpContent?> content)
    {
        var start = Now;
        int status;
        var retryAfter = false;
        try
        {
            using var request = new HttpRequestMessage(method, path) { Content = content() };
            using var response = await client.SendAsync(request);
            await response.Content.ReadAsByteArrayAsync();
            status = (int)response.StatusCode;
            retryAfter = response.Headers.RetryAfter is not null;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            status = 0;
        }
        var answer = new Answer(kind, start, Now, status, retryAfter);
        _answers.Enqueue(answer);
        return answer;
    }
}
