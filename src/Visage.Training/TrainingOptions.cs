using Visage.Training.Loss;
using Visage.Training.Network;

namespace Visage.Training;

/// <summary>Options of <see cref="HeadTrainer"/>; defaults are the settings measured in the closing report of issue 8.</summary>
public sealed record TrainingOptions
{
    /// <summary>The head's shape (default 128-512-256-128, batch norm, residual).</summary>
    public HeadArchitecture Architecture { get; init; } = HeadArchitecture.Default;

    /// <summary>Triplet margin on squared distances between unit vectors (default 0.2, FaceNet's).</summary>
    public float Margin { get; init; } = 0.2f;

    /// <summary>Which triplets of a batch train (default semi-hard).</summary>
    public MiningStrategy Mining { get; init; } = MiningStrategy.SemiHard;

    /// <summary>Adam step size (default 1e-3).</summary>
    public float LearningRate { get; init; } = 1e-3f;

    /// <summary>Decoupled weight decay on weight matrices (default 0.01, PyTorch's AdamW default).</summary>
    public float WeightDecay { get; init; } = 0.01f;

    /// <summary>Upper bound on epochs (default 300; an epoch visits every training identity once).</summary>
    public int MaxEpochs { get; init; } = 300;

    /// <summary>Stop when the validation loss has not improved for this many epochs (default 30).</summary>
    public int Patience { get; init; } = 30;

    /// <summary>Identities per batch, P (default 16).</summary>
    public int IdentitiesPerBatch { get; init; } = 16;

    /// <summary>Photos per identity per batch, K (default 4).</summary>
    public int PhotosPerIdentity { get; init; } = 4;

    /// <summary>Share of the identities kept apart for validation and early stopping (default 0.2).</summary>
    public double ValidationFraction { get; init; } = 0.2;

    /// <summary>Seed of the initialization, the split and the batch order (default 0).</summary>
    public int Seed { get; init; }

    /// <summary>Throws when a value is out of range.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of range.</exception>
    public void Validate()
    {
        if (!(Margin > 0)) throw new ArgumentOutOfRangeException(nameof(Margin), Margin, "margin must be positive");
        if (!(LearningRate > 0)) throw new ArgumentOutOfRangeException(nameof(LearningRate), LearningRate, "learning rate must be positive");
        if (!(WeightDecay >= 0)) throw new ArgumentOutOfRangeException(nameof(WeightDecay), WeightDecay, "weight decay must be >= 0");
        if (MaxEpochs < 0) throw new ArgumentOutOfRangeException(nameof(MaxEpochs), MaxEpochs, "epochs must be >= 0");
        if (Patience < 1) throw new ArgumentOutOfRangeException(nameof(Patience), Patience, "patience must be at least 1");
        if (IdentitiesPerBatch < 2) throw new ArgumentOutOfRangeException(nameof(IdentitiesPerBatch), IdentitiesPerBatch, "a batch needs at least 2 identities");
        if (PhotosPerIdentity < 2) throw new ArgumentOutOfRangeException(nameof(PhotosPerIdentity), PhotosPerIdentity, "a batch needs at least 2 photos per identity");
        if (!(ValidationFraction >= 0 && ValidationFraction < 1)) throw new ArgumentOutOfRangeException(nameof(ValidationFraction), ValidationFraction, "validation fraction must be in [0, 1)");
    }
}
