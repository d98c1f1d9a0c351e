namespace Visage.Video.Sources;

/// <summary>
/// Exponential reconnect delays with jitter: initial, then doubled per failure up to a cap, each randomly
/// within +-20% so that many cameras that dropped together do not reconnect in lockstep.
/// </summary>
public sealed class Backoff(TimeSpan initial, TimeSpan max)
{
    private const double Jitter = 0.2;
    private int _failures;

    /// <summary>The delay before the next attempt; each call counts one more failure.</summary>
    public TimeSpan Next()
    {
        var nominal = initial.TotalMilliseconds * Math.Pow(2, Math.Min(_failures, 30));
        _failures++;
        var capped = Math.Min(nominal, max.TotalMilliseconds);
        return TimeSpan.FromMilliseconds(capped * (1 + Jitter * (2 * Random.Shared.NextDouble() - 1)));
    }

    /// <summary>Back to the initial delay (after a success).</summary>
    public void Reset() => _failures = 0;
}
