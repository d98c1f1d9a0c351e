using System.Diagnostics;

namespace Visage;

/// <summary>Wall-clock milliseconds per pipeline stage, in the order the stages ran.</summary>
public sealed class StageTimings
{
    private readonly List<KeyValuePair<string, double>> _stages = [];

    /// <summary>The recorded stages.</summary>
    public IReadOnlyList<KeyValuePair<string, double>> Stages => _stages;

    /// <summary>Adds (or accumulates into) a stage.</summary>
    public void Add(string stage, double milliseconds)
    {
        var i = _stages.FindIndex(s => s.Key == stage);
        if (i < 0) _stages.Add(new(stage, milliseconds));
        else _stages[i] = new(stage, _stages[i].Value + milliseconds);
    }

    /// <summary>Adds every stage of <paramref name="other"/>.</summary>
    public void Add(StageTimings other)
    {
        foreach (var (stage, ms) in other.Stages) Add(stage, ms);
    }

    /// <summary>Runs <paramref name="work"/> and records its duration under <paramref name="stage"/>, as a trace span too (<see cref="PipelineTelemetry"/>).</summary>
    public T Measure<T>(string stage, Func<T> work)
    {
        using var span = PipelineTelemetry.Source.StartActivity(stage);
        var start = Stopwatch.GetTimestamp();
        try
        {
            return work();
        }
        finally
        {
            Add(stage, Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }
    }

    /// <summary>The stages as a dictionary (stage to milliseconds) for JSON output.</summary>
    public Dictionary<string, double> ToDictionary() => _stages.ToDictionary(s => s.Key, s => Math.Round(s.Value, 3));
}
