using System.Diagnostics;
using System.Net.Sockets;

namespace Visage.Install.Tests;

/// <summary>Loopback ports and readiness, for the services these tests start.</summary>
public static class Loopback
{
    /// <summary>A TCP port nothing listens on now.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Waits until <c>GET /ready</c> answers 200; how long that took from <paramref name="since"/> (default: now).</summary>
    /// <param name="gone">Says when the service died, to stop waiting at once.</param>
    public static async Task<TimeSpan> WaitReadyAsync(Uri address, TimeSpan timeout, Func<bool>? gone = null, Stopwatch? since = null, Func<string>? describe = null)
    {
        since ??= Stopwatch.StartNew();
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        while (true)
        {
            try
            {
                if ((await client.GetAsync(new Uri(address, "/ready"))).IsSuccessStatusCode) return since.Elapsed;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException) { } // not listening yet
            if (since.Elapsed > timeout || gone?.Invoke() == true) throw new TimeoutException($"not ready after {since.Elapsed}: {describe?.Invoke()}");
            await Task.Delay(100);
        }
    }
}
