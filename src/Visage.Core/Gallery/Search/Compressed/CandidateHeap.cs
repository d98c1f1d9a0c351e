namespace Visage.Gallery.Search.Compressed;

/// <summary>The best candidates of a first pass: a max-heap of (distance or bound, slot) of bounded size, whose largest key is what a newcomer must beat.</summary>
internal sealed class CandidateHeap
{
    private float[] _keys = [];
    private int[] _slots = [];
    private int _capacity;

    /// <summary>Candidates held.</summary>
    public int Count { get; private set; }

    /// <summary>True when the heap holds as many as it may.</summary>
    public bool IsFull => Count == _capacity;

    /// <summary>The largest distance held (what a newcomer must beat once the heap is full).</summary>
    public float Worst => _keys[0];

    /// <summary>The distance of the i-th candidate held (heap order).</summary>
    public float KeyAt(int i) => _keys[i];

    /// <summary>The slot of the i-th candidate held (heap order).</summary>
    public int SlotAt(int i) => _slots[i];

    /// <summary>Makes room for <paramref name="capacity"/> candidates.</summary>
    public void Reserve(int capacity)
    {
        if (_keys.Length < capacity) (_keys, _slots) = (new float[capacity], new int[capacity]);
    }

    /// <summary>Empties the heap and bounds it to <paramref name="capacity"/>.</summary>
    public void Reset(int capacity)
    {
        Reserve(capacity);
        (_capacity, Count) = (capacity, 0);
    }

    /// <summary>Keeps the candidate when there is room or it beats the worst held.</summary>
    public void Offer(float key, int slot)
    {
        if (Count < _capacity)
        {
            var i = Count++;
            while (i > 0 && _keys[(i - 1) / 2] < key)
            {
                (_keys[i], _slots[i]) = (_keys[(i - 1) / 2], _slots[(i - 1) / 2]);
                i = (i - 1) / 2;
            }
            (_keys[i], _slots[i]) = (key, slot);
            return;
        }
        if (!(key < _keys[0])) return;
        var at = 0;
        while (true)
        {
            var child = 2 * at + 1;
            if (child >= Count) break;
            if (child + 1 < Count && _keys[child + 1] > _keys[child]) child++;
            if (_keys[child] <= key) break;
            (_keys[at], _slots[at]) = (_keys[child], _slots[child]);
            at = child;
        }
        (_keys[at], _slots[at]) = (key, slot);
    }
}
