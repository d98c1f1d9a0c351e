namespace Visage.Serve;

/// <summary>The loop condition of the service's periodic background work.</summary>
internal static class PeriodicTicks
{
    /// <summary>
    /// Waits for the next tick; false once <paramref name="stop"/> is cancelled or the timer disposed. A host that
    /// failed to start (a port already taken) is disposed without being stopped, which cancels the wait: that is no
    /// failure of the background service and must not print a stack trace over the one-line start error.
    /// </summary>
    public static async Task<bool> NextAsync(this PeriodicTimer timer, CancellationToken stop)
    {
        try { return await timer.WaitForNextTickAsync(stop); }
        catch (OperationCanceledException) { return false; }
    }
}
