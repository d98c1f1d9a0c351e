using Visage.Matching.OpenSet;

namespace Visage.Evaluation.OpenSet;

/// <summary>How <c>visage eval --openset</c> deals its galleries (<see cref="OpenSetProtocol"/>).</summary>
public sealed record OpenSetSettings
{
    /// <summary>Seed of every split and deal (default 7, as the rest of <c>visage eval</c>).</summary>
    public int Seed { get; init; } = PairSet.DefaultSeed;

    /// <summary>Person splits: each holds out a share of the persons, fits the model on the others and deals galleries from the held-out ones (default 40).</summary>
    public int Rounds { get; init; } = 40;

    /// <summary>Share of the persons held out of the fit in each round (default 0.5: 24 of 47, so 23 calibrate).</summary>
    public double HeldOutShare { get; init; } = 0.5;

    /// <summary>Share of the held-out persons never enrolled, whose photos are the strangers (default 0.2, "a fifth").</summary>
    public double StrangerShare { get; init; } = 0.2;

    /// <summary>Galleries dealt per round and cell (default 10).</summary>
    public int DealsPerCell { get; init; } = 10;

    /// <summary>Faces enrolled per person (default 1, 2, 3, 5; a person needs one photo more than that to be enrolled).</summary>
    public IReadOnlyList<int> FacesPerPerson { get; init; } = [1, 2, 3, 5];

    /// <summary>Persons enrolled (default 5, 10, 15); every cell also runs with all the held-out persons who qualify.</summary>
    public IReadOnlyList<int> GallerySizes { get; init; } = [5, 10, 15];

    /// <summary>The operating point reported as "the default" (the rule's default, 0.01).</summary>
    public double TargetFalseAcceptRate { get; init; } = OpenSetOptions.DefaultTargetFalseAcceptRate;

    /// <summary>Operating points of the curves.</summary>
    public IReadOnlyList<double> OperatingPoints { get; init; } = [0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1];

    /// <summary>The fixed threshold of the nearest-face rule (the default before the open-set rule), reported beside it (<see cref="Matching.MatchingOptions.DefaultThreshold"/>).</summary>
    public float FixedThreshold { get; init; } = Matching.MatchingOptions.DefaultThreshold;

    /// <summary>
    /// The rule's prior that a face is a stranger, which only the confidence depends on (default the rule's 0.5). In
    /// the "half" cell about a third of the probes are strangers' photos.
    /// </summary>
    public double StrangerPrior { get; init; } = OpenSetOptions.Default.StrangerPrior;

    /// <summary>Descriptor counts per probe compared when frames are available (default 1, 3, 5).</summary>
    public IReadOnlyList<int> FrameCounts { get; init; } = [1, 3, 5];
}
