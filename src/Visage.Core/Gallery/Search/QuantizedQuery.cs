namespace Visage.Gallery.Search;

/// <summary>
/// One query of a <see cref="QuantizedScan"/>: its 8-bit code and the state of its first pass (the k smallest upper
/// bounds seen, and every row whose lower bound was under the running k-th upper bound).
/// </summary>
internal sealed class QuantizedQuery
{
    // Margin for rounding: |x'|^2 is stored as float (an error of ~1e-7 in d^2, so up to ~5e-4 in d near zero) and the
    // exact float32 distance it is compared with is itself rounded.
    private const float Slack = 1e-3f;

    private readonly Compressed.CandidateHeap _upper = new(); // the k smallest upper bounds

    public QuantizedQuery(ReadOnlySpan<float> query, int k)
    {
        Vector = query.ToArray();
        Codes = new sbyte[query.Length];
        Scale = QuantizedRows.Encode(query, Codes, out var norm, out var error);
        Norm = norm;
        Error = error + Slack;
        var sum = 0;
        foreach (var c in Codes) sum += c;
        CodeSum = sum;
        _upper.Reset(k);
    }

    public float[] Vector { get; }
    public sbyte[] Codes { get; }
    public float Scale { get; }
    public float Norm { get; }

    /// <summary><c>|q - q'|</c> plus the rounding slack: added to every row's own error.</summary>
    public float Error { get; }

    /// <summary>Sum of the codes, to remove the +128 offset of the rows' bytes from a dot product.</summary>
    public int CodeSum { get; }

    /// <summary>False when the query has a non-finite value: no bound holds, so it must be scanned exactly.</summary>
    public bool IsFinite => float.IsFinite(Error);

    /// <summary>The k-th smallest upper bound so far (infinite until k rows were seen).</summary>
    public float Threshold => _upper.IsFull ? _upper.Worst : float.PositiveInfinity;

    /// <summary>Rows that may be among the k nearest: slot and lower bound.</summary>
    public List<(int Slot, float Lower)> Candidates { get; } = [];

    /// <summary>Records a row whose lower bound passed <see cref="Threshold"/>.</summary>
    public void Offer(int slot, float lower, float upper)
    {
        Candidates.Add((slot, lower));
        _upper.Offer(upper, slot);
    }

    /// <summary>Takes the first-pass results of another partition of the rows.</summary>
    public void Merge(QuantizedQuery other)
    {
        Candidates.AddRange(other.Candidates);
        for (var i = 0; i < other._upper.Count; i++) _upper.Offer(other._upper.KeyAt(i), other._upper.SlotAt(i));
    }
}
