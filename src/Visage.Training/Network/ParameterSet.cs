namespace Visage.Training.Network;

/// <summary>
/// Every trainable value of a network and its gradient in two flat arrays, so the optimizer walks one span; plus
/// untrained state (batch-norm running statistics) kept beside them so a snapshot captures the whole network.
/// Layers reserve their slices while the network is built, then <see cref="Allocate"/> creates the arrays.
/// </summary>
public sealed class ParameterSet
{
    private readonly List<(int Offset, int Count)> _decayed = [];
    private int _count;
    private int _stateCount;

    /// <summary>Trainable values.</summary>
    public float[] Values { get; private set; } = [];

    /// <summary>Gradients of the loss with respect to <see cref="Values"/>, accumulated by backward passes.</summary>
    public float[] Gradients { get; private set; } = [];

    /// <summary>Untrained state (running statistics).</summary>
    public float[] State { get; private set; } = [];

    /// <summary>Number of trainable values.</summary>
    public int Count => _count;

    /// <summary>The slices weight decay applies to (weight matrices; not biases or batch-norm scales and shifts).</summary>
    public IReadOnlyList<(int Offset, int Count)> Decayed => _decayed;

    /// <summary>Reserves <paramref name="count"/> trainable values; returns their offset.</summary>
    public int Reserve(int count, bool decay)
    {
        if (Values.Length != 0) throw new InvalidOperationException("parameters are already allocated");
        var offset = _count;
        _count += count;
        if (decay) _decayed.Add((offset, count));
        return offset;
    }

    /// <summary>Reserves <paramref name="count"/> state values; returns their offset.</summary>
    public int ReserveState(int count)
    {
        var offset = _stateCount;
        _stateCount += count;
        return offset;
    }

    /// <summary>Creates the arrays once every layer has reserved its slices.</summary>
    public void Allocate()
    {
        Values = new float[_count];
        Gradients = new float[_count];
        State = new float[_stateCount];
    }

    /// <summary>Clears the gradients before a backward pass.</summary>
    public void ZeroGradients() => Array.Clear(Gradients);

    /// <summary>A copy of the values and the state.</summary>
    public float[] Snapshot() => [.. Values, .. State];

    /// <summary>Restores a <see cref="Snapshot"/>.</summary>
    public void Restore(float[] snapshot)
    {
        if (snapshot.Length != Values.Length + State.Length) throw new ArgumentException("the snapshot is of another network", nameof(snapshot));
        snapshot.AsSpan(0, Values.Length).CopyTo(Values);
        snapshot.AsSpan(Values.Length).CopyTo(State);
    }
}
