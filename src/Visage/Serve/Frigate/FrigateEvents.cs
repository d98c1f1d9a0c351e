using System.Collections.Concurrent;

namespace Visage.Serve.Frigate;

/// <summary>
/// What the bridge remembers per Frigate event: how many pictures it recognized, the hashes of those pictures (the same
/// picture is never recognized twice), and whether a person was named (then later messages of the event are done with,
/// as Double Take's <c>stop_on_match</c>). Entries are dropped when their event ends, or an hour after they were last used.
/// </summary>
internal sealed class FrigateEvents
{
    private static readonly TimeSpan Forget = TimeSpan.FromHours(1);

    private readonly ConcurrentDictionary<string, State> _states = new();
    private DateTime _sweptAt = DateTime.UtcNow;

    /// <summary>One event's record; take <see cref="State.Lock"/> before reading or changing it.</summary>
    public sealed class State
    {
        public SemaphoreSlim Lock { get; } = new(1, 1);
        public HashSet<string> Pictures { get; } = [];
        public int Attempts { get; set; }
        public bool Named { get; set; }
        public bool Warned { get; set; }
        public DateTime UsedAt { get; set; } = DateTime.UtcNow;
    }

    /// <summary>The events remembered.</summary>
    public int Count => _states.Count;

    /// <summary>The record of an event, made on first use.</summary>
    public State Get(string eventId)
    {
        Sweep();
        var state = _states.GetOrAdd(eventId, _ => new State());
        state.UsedAt = DateTime.UtcNow;
        return state;
    }

    /// <summary>Forgets an event (it ended).</summary>
    public void Remove(string eventId) => _states.TryRemove(eventId, out _);

    private void Sweep()
    {
        var now = DateTime.UtcNow;
        if (now - _sweptAt < TimeSpan.FromMinutes(1)) return;
        _sweptAt = now;
        foreach (var (id, state) in _states)
            if (now - state.UsedAt > Forget) _states.TryRemove(id, out _);
    }
}
