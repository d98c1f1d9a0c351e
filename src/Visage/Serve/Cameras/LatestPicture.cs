using Visage.Imaging;
using Visage.Video.Watching;

namespace Visage.Serve.Cameras;

/// <summary>
/// A camera's last processed frame with its faces, kept as a copy in one reused buffer (no allocation per frame), and
/// encoded as an annotated JPEG only when someone asks for it (a snapshot, a stream client), once per frame however
/// many ask. Safe from any thread.
/// </summary>
public sealed class LatestPicture
{
    private readonly Lock _lock = new();
    private RgbImage? _frame;
    private IReadOnlyList<Annotation> _faces = [];
    private long _version;
    private (long Version, byte[] Jpeg)? _encoded;
    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Frames taken so far (0: none yet).</summary>
    public long Version => Interlocked.Read(ref _version);

    /// <summary>Takes a processed frame (the frame's pixels are copied: the watcher reuses its buffer).</summary>
    public void Update(WatchedFrame frame)
    {
        TaskCompletionSource next;
        lock (_lock)
        {
            var image = frame.Image;
            if (_frame is null || _frame.Width != image.Width || _frame.Height != image.Height)
                _frame = new RgbImage(image.Width, image.Height, new byte[image.Width * image.Height * 3]);
            Buffer.BlockCopy(image.Pixels, 0, _frame.Pixels, 0, _frame.Pixels.Length);
            _faces = frame.Faces.Select(f => f.ToAnnotation()).ToList();
            Interlocked.Increment(ref _version);
            next = _next;
            _next = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        next.TrySetResult();
    }

    /// <summary>The last frame with boxes and names drawn, as JPEG, and its version; null before the first frame.</summary>
    public (long Version, byte[] Jpeg)? Jpeg()
    {
        lock (_lock)
        {
            if (_frame is null) return null;
            if (_encoded is { } cached && cached.Version == _version) return cached;
            _encoded = (_version, ImageEncoder.Encode(ImageAnnotator.Draw(_frame, _faces), ".jpg", 80));
            return _encoded;
        }
    }

    /// <summary>Waits for a frame newer than <paramref name="version"/>.</summary>
    public async Task NextAsync(long version, CancellationToken cancellationToken)
    {
        while (true)
        {
            Task next;
            lock (_lock)
            {
                if (_version > version) return;
                next = _next.Task;
            }
            await next.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
