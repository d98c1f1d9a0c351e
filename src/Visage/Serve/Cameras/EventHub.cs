using System.Threading.Channels;

namespace Visage.Serve.Cameras;

/// <summary>One event of a camera on its way to the listeners of <c>GET /api/v1/events</c>.</summary>
/// <param name="Camera">The camera's name.</param>
/// <param name="Name">The event's name (<c>appeared</c>, <c>identified</c>, <c>left</c>).</param>
/// <param name="Json">The event as one JSON object.</param>
public sealed record CameraEvent(string Camera, string Name, string Json);

/// <summary>
/// Hands every camera event to every listener. Each listener has a bounded queue that drops its oldest event when the
/// listener is too slow (a stalled client never holds memory or the cameras back). Safe from any thread.
/// </summary>
public sealed class EventHub
{
    /// <summary>Events a listener may be behind before its oldest are dropped.</summary>
    public const int ListenerQueue = 256;

    private readonly Lock _lock = new();
    private readonly List<Channel<CameraEvent>> _listeners = [];

    /// <summary>Listeners connected now.</summary>
    public int Listeners
    {
        get { lock (_lock) return _listeners.Count; }
    }

    /// <summary>Sends an event to every listener.</summary>
    public void Publish(CameraEvent e)
    {
        lock (_lock)
            foreach (var listener in _listeners) listener.Writer.TryWrite(e);
    }

    /// <summary>The events from now on, until <paramref name="cancellationToken"/> is cancelled.</summary>
    public async IAsyncEnumerable<CameraEvent> Listen([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var channel = Channel.CreateBounded<CameraEvent>(new BoundedChannelOptions(ListenerQueue) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });
        lock (_lock) _listeners.Add(channel);
        try
        {
            await foreach (var e in channel.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false)) yield return e;
        }
        finally
        {
            lock (_lock) _listeners.Remove(channel);
        }
    }
}
