using Visage.Matching;
using Visage.Matching.OpenSet;

namespace Visage.Evaluation.OpenSet;

/// <summary>Counts of one cell (or one frame count), per round, plus what the single-threshold oracle and the curves need.</summary>
internal sealed class CellTally(int operatingPoints)
{
    private readonly List<int[]> _rounds = [];   // per round: known, named, wrong, strangers, strangers named, too close

    public List<(double Distance, bool Right)> KnownNearest { get; } = [];
    public List<double> StrangerNearest { get; } = [];
    public List<(double Confidence, bool Right)> Answers { get; } = [];
    public int[] CurveNamed { get; } = new int[operatingPoints];
    public int[] CurveStrangersNamed { get; } = new int[operatingPoints];
    public int FixedNamed { get; set; }
    public int FixedStrangersNamed { get; set; }
    public int Deals { get; set; }
    public double GalleryPersons { get; set; }

    public IReadOnlyList<int[]> Rounds => _rounds;

    /// <summary>Starts counting a new round.</summary>
    public void NextRound() => _rounds.Add(new int[6]);

    /// <summary>Counts a known probe's answer (null: no face in the probe photo).</summary>
    public void Known(Match? decision, long truth)
    {
        var r = _rounds[^1];
        r[0]++;
        if (decision is null) return;
        if (decision.PersonId == truth) r[1]++;
        else if (decision.IsKnown) r[2]++;
        if (decision.Reason == OpenSetReason.TwoPeopleTooCloseToTell) r[5]++;
        Answers.Add((decision.Confidence, decision.PersonId == truth));
    }

    /// <summary>Counts a stranger probe's answer (null: no face, rejected in the usual accounting).</summary>
    public void Stranger(Match? decision)
    {
        var r = _rounds[^1];
        r[3]++;
        if (decision is null) return;
        if (decision.IsKnown) r[4]++;
        if (decision.Reason == OpenSetReason.TwoPeopleTooCloseToTell) r[5]++;
        Answers.Add((decision.Confidence, !decision.IsKnown));
    }

    public int Total(int column) => _rounds.Sum(r => r[column]);

    /// <summary>A pooled rate with its spread over rounds: events in column <paramref name="events"/> over trials in <paramref name="trials"/>.</summary>
    public SpreadRate Rate(int events, int trials) => OpenSetMetrics.Spread(_rounds.Select(r => (r[events], r[trials])).ToList());

    public const int KnownColumn = 0, NamedColumn = 1, WrongColumn = 2, StrangerColumn = 3, StrangerNamedColumn = 4, TooCloseColumn = 5;
}
