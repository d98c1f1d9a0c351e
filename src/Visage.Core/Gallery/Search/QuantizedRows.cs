namespace Visage.Gallery.Search;

/// <summary>
/// An 8-bit copy of every row of a <see cref="VectorRows"/>, slot for slot, for a first pass that reads a quarter of
/// the bytes. Row <c>x</c> is stored as <c>x' = s * c</c> with <c>s = max|x| / 127</c> and <c>c</c> in -127..127, kept
/// as the bytes <c>c + 128</c> (the unsigned operand of VNNI's <c>vpdpbusd</c>); beside it <c>s</c>, <c>|x'|^2</c>, and
/// <c>|x - x'|</c> rounded up, which bounds how far any distance to <c>x'</c> is from the distance to <c>x</c>
/// (triangle inequality). 16 bytes of side data per row: 144 bytes per 128-d row against 512 for float32.
/// Not thread-safe: <see cref="GalleryIndex"/> guards it.
/// </summary>
internal sealed class QuantizedRows(int width, int initialCapacity)
{
    // The codes start on a 64-byte boundary, so no 512-bit load of the scan straddles two cache lines (measured: a
    // tenth faster at 1M rows). The array is on the pinned heap so that the boundary stays where it was found.
    private AlignedBytes _codes = new(Math.Max(1, initialCapacity) * width);
    private float[] _scales = new float[Math.Max(1, initialCapacity)];
    private float[] _norms = new float[Math.Max(1, initialCapacity)];
    private float[] _errors = new float[Math.Max(1, initialCapacity)];

    public int Width { get; } = width;

    public int Count { get; private set; }

    public ReadOnlySpan<byte> Codes => _codes.Span[..(Count * Width)];

    /// <summary>Per row: the scale <c>s</c>.</summary>
    public ReadOnlySpan<float> Scales => _scales.AsSpan(0, Count);

    /// <summary>Per row: <c>|x'|^2</c> of the reconstruction.</summary>
    public ReadOnlySpan<float> Norms => _norms.AsSpan(0, Count);

    /// <summary>Per row: an upper bound of <c>|x - x'|</c> (infinite for a row with a non-finite value: it is always re-ranked).</summary>
    public ReadOnlySpan<float> Errors => _errors.AsSpan(0, Count);

    /// <summary>Appends the code of a row; slots match the float rows'.</summary>
    public void Add(ReadOnlySpan<float> vector)
    {
        if (Count == _scales.Length) Grow();
        var slot = Count++;
        _scales[slot] = Encode(vector, _codes.Span.Slice(slot * Width, Width), out _norms[slot], out _errors[slot]);
    }

    /// <summary>Re-codes the row at <paramref name="slot"/>.</summary>
    public void Set(int slot, ReadOnlySpan<float> vector) =>
        _scales[slot] = Encode(vector, _codes.Span.Slice(slot * Width, Width), out _norms[slot], out _errors[slot]);

    /// <summary>Moves the last row into <paramref name="slot"/>, as <see cref="VectorRows.RemoveAt"/> does.</summary>
    public void RemoveAt(int slot)
    {
        var last = Count - 1;
        if (slot != last)
        {
            _codes.Span.Slice(last * Width, Width).CopyTo(_codes.Span.Slice(slot * Width, Width));
            _scales[slot] = _scales[last];
            _norms[slot] = _norms[last];
            _errors[slot] = _errors[last];
        }
        _codes.Span.Slice(last * Width, Width).Clear();
        Count--;
    }

    /// <summary>
    /// Writes the signed codes <c>round(v / s)</c> (no offset) of a vector and returns <c>s</c>; <paramref name="norm"/>
    /// gets <c>|s c|^2</c> and <paramref name="error"/> an upper bound of <c>|v - s c|</c>.
    /// </summary>
    public static float Encode(ReadOnlySpan<float> v, Span<sbyte> codes, out float norm, out float error)
    {
        var max = 0f;
        var finite = true;
        foreach (var x in v)
        {
            finite &= float.IsFinite(x);
            max = Math.Max(max, Math.Abs(x));
        }
        var s = finite ? max / 127f : 0f;
        double n = 0, e = 0;
        for (var i = 0; i < v.Length; i++)
        {
            var c = s > 0 ? (int)Math.Clamp(MathF.Round(v[i] / s), -127, 127) : 0;
            codes[i] = (sbyte)c;
            var r = (double)s * c;
            n += r * r;
            e += (v[i] - r) * (v[i] - r);
        }
        norm = (float)n;
        // Rounded up by a few ulps so the bound still holds after float rounding.
        error = finite ? (float)(Math.Sqrt(e) * (1 + 1e-6)) + 1e-7f : float.PositiveInfinity;
        return s;
    }

    private float Encode(ReadOnlySpan<float> v, Span<byte> stored, out float norm, out float error)
    {
        Span<sbyte> codes = stackalloc sbyte[v.Length];
        var s = Encode(v, codes, out norm, out error);
        for (var i = 0; i < codes.Length; i++) stored[i] = (byte)(codes[i] + 128);
        return s;
    }

    private void Grow()
    {
        var capacity = _scales.Length * 2;
        _codes = _codes.Resized(capacity * Width);
        Array.Resize(ref _scales, capacity);
        Array.Resize(ref _norms, capacity);
        Array.Resize(ref _errors, capacity);
    }
}

/// <summary>A byte buffer whose first byte lies on a 64-byte boundary, in an array on the pinned object heap.</summary>
internal readonly struct AlignedBytes
{
    private const int Alignment = 64;
    private readonly byte[] _array;
    private readonly int _offset;
    private readonly int _length;

    public AlignedBytes(int length)
    {
        _array = GC.AllocateArray<byte>(length + Alignment, pinned: true);
        unsafe
        {
            fixed (byte* p = _array) _offset = (int)((Alignment - (nint)p % Alignment) % Alignment);
        }
        _length = length;
    }

    public Span<byte> Span => _array.AsSpan(_offset, _length);

    /// <summary>A new buffer of <paramref name="length"/> bytes that starts with this one's.</summary>
    public AlignedBytes Resized(int length)
    {
        var bigger = new AlignedBytes(length);
        Span[..Math.Min(_length, length)].CopyTo(bigger.Span);
        return bigger;
    }
}
