using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;

namespace Visage.Serve.Frigate;

/// <summary>Frigate's HTTP API as the bridge uses it: an event's snapshot, a camera's latest frame, an event's sub label.</summary>
public sealed class FrigateClient : IDisposable
{
    private readonly HttpClient _http;

    /// <summary>A client for Frigate at <paramref name="options"/>' address (its user info, if any, sent as basic authentication).</summary>
    public FrigateClient(FrigateOptions options)
    {
        var address = options.Frigate;
        _http = new HttpClient { BaseAddress = new Uri(address.GetLeftPart(UriPartial.Path)), Timeout = options.HttpTimeout };
        if (address.UserInfo.Length > 0)
            _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic",
                Convert.ToBase64String(Encoding.UTF8.GetBytes(Uri.UnescapeDataString(address.UserInfo))));
    }

    /// <summary>The event's snapshot (cropped to the object, as Double Take asks for it), or null when Frigate has none (404: an expired event).</summary>
    /// <exception cref="HttpRequestException">Frigate cannot be reached or failed.</exception>
    /// <exception cref="TaskCanceledException">Frigate took too long.</exception>
    public Task<byte[]?> SnapshotAsync(string eventId, CancellationToken cancel) =>
        GetAsync($"api/events/{Uri.EscapeDataString(eventId)}/snapshot.jpg?crop=1&bbox=0&timestamp=0", cancel);

    /// <summary>The camera's latest frame, or null when Frigate does not know the camera.</summary>
    /// <exception cref="HttpRequestException">Frigate cannot be reached or failed.</exception>
    /// <exception cref="TaskCanceledException">Frigate took too long.</exception>
    public Task<byte[]?> LatestAsync(string camera, CancellationToken cancel) => GetAsync($"api/{Uri.EscapeDataString(camera)}/latest.jpg", cancel);

    /// <summary>Sets the event's sub label (Frigate's <c>EventsSubLabelBody</c>: up to 100 characters, a score in (0, 1]); false when Frigate has no such event.</summary>
    /// <exception cref="HttpRequestException">Frigate cannot be reached or refused the label.</exception>
    /// <exception cref="TaskCanceledException">Frigate took too long.</exception>
    public async Task<bool> SetSubLabelAsync(string eventId, string label, double score, CancellationToken cancel)
    {
        var body = new { subLabel = label.Length > 100 ? label[..100] : label, subLabelScore = Math.Clamp(Math.Round(score, 4), 0.0001, 1) };
        using var response = await _http.PostAsJsonAsync($"api/events/{Uri.EscapeDataString(eventId)}/sub_label", body, cancel);
        if (response.StatusCode == HttpStatusCode.NotFound) return false;
        response.EnsureSuccessStatusCode();
        return true;
    }

    /// <summary>Releases the connections.</summary>
    public void Dispose() => _http.Dispose();

    private async Task<byte[]?> GetAsync(string path, CancellationToken cancel)
    {
        using var response = await _http.GetAsync(path, cancel);
        if (response.StatusCode == HttpStatusCode.NotFound) return null;
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadAsByteArrayAsync(cancel);
    }
}
