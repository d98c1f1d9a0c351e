using System.Diagnostics;
using System.Text.Json;

namespace Visage.Fuzz;

/// <summary>Counts outcomes per kind of damage, keeps the inputs that broke a promise, and prints a summary.</summary>
internal sealed class FuzzReport(FuzzOptions options)
{
    private readonly Dictionary<string, Dictionary<string, int>> _outcomes = [];
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    public int Cases { get; private set; }
    public List<string> Violations { get; } = [];
    public long PeakWorkingSet { get; private set; }

    public bool OutOfTime => _clock.Elapsed.TotalSeconds >= options.Seconds;

    /// <summary>Records one case's outcome (e.g. "decoded", "Truncated", "exit 5").</summary>
    public void Add(string kind, string outcome)
    {
        Cases++;
        var byOutcome = _outcomes.TryGetValue(kind, out var d) ? d : _outcomes[kind] = [];
        byOutcome[outcome] = byOutcome.GetValueOrDefault(outcome) + 1;
        PeakWorkingSet = Math.Max(PeakWorkingSet, Environment.WorkingSet);
    }

    /// <summary>Records a broken promise and saves the input so it can become a test fixture.</summary>
    public void Violation(int index, string kind, byte[] input, string what)
    {
        Directory.CreateDirectory(options.Out);
        var file = Path.Combine(options.Out, $"case-{options.Seed}-{index}-{kind}.bin");
        File.WriteAllBytes(file, input);
        Violations.Add($"case {index} ({kind}): {what} [input saved to {file}]");
    }

    public void Print(long? peakOfOtherProcess = null)
    {
        Console.WriteLine(JsonSerializer.Serialize(new
        {
            target = options.Target,
            seed = options.Seed,
            cases = Cases,
            seconds = Math.Round(_clock.Elapsed.TotalSeconds, 1),
            peakWorkingSetMb = Math.Round(PeakWorkingSet / 1048576.0, 1),
            serverPeakMb = peakOfOtherProcess is { } p ? Math.Round(p / 1048576.0, 1) : (double?)null,
            violations = Violations,
            outcomes = _outcomes,
        }, new JsonSerializerOptions { WriteIndented = true }));
    }
}
