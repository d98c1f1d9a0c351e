using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Visage.Gallery.Search.Compressed;

/// <summary>
/// Approximate distances of 4-bit product-quantization codes, 32 codes at a time, as FAISS's "fast scan" computes them:
/// the 16 entries of a sub-quantizer's distance table fit one 128-bit lane, so <c>VPSHUFB</c> looks up 16 (AVX2: 32,
/// AVX-512: 64) codes in one instruction, and the table never leaves the registers.
/// </summary>
/// <remarks>
/// Block layout (<see cref="BlockBytes"/> per 32 codes): for sub-quantizer <c>m</c>, 16 bytes at <c>16 m</c>; byte
/// <c>j</c> holds entry <c>j</c>'s code in its low nibble and entry <c>j + 16</c>'s in its high nibble. The table is
/// <c>16 m + code</c> bytes, each an 8-bit distance. Sums stay in 16 bits: at most 255 per sub-quantizer, so up to 128
/// sub-quantizers (32,640, under a signed 16-bit compare's limit); the byte pairs of a 16-bit lane are added together and told apart at the end (FAISS's trick: the
/// even byte's sum is the lane's sum less 256 times the odd byte's).
/// </remarks>
internal static class FastScan
{
    /// <summary>Codes per block.</summary>
    public const int BlockSize = 32;

    /// <summary>The most sub-quantizers whose sums fit a signed 16-bit lane (128 x 255 = 32,640).</summary>
    public const int MaxSubquantizers = 128;

    /// <summary>Bytes of one block of 32 codes of <paramref name="subquantizers"/> sub-quantizers.</summary>
    public static int BlockBytes(int subquantizers) => subquantizers * 16;

    /// <summary>
    /// Scans <paramref name="count"/> codes laid out in blocks and hands every entry whose distance is at most the
    /// threshold to <paramref name="sink"/>, which answers the threshold from then on (it only ever falls).
    /// </summary>
    /// <exception cref="ArgumentException">The spans do not fit, or the kernel needs a multiple of 4 (AVX-512) or 2 (AVX2) sub-quantizers.</exception>
    /// <exception cref="PlatformNotSupportedException">The kernel does not run on this CPU.</exception>
    public static void Scan<TSink>(FastScanKernel kernel, ReadOnlySpan<byte> blocks, int count, ReadOnlySpan<byte> table, int subquantizers, ushort threshold, ref TSink sink)
        where TSink : struct, IFastScanSink
    {
        var bytes = BlockBytes(subquantizers);
        var blockCount = (count + BlockSize - 1) / BlockSize;
        Check(kernel, subquantizers);
        if (count < 0 || blocks.Length < blockCount * bytes || table.Length < bytes)
            throw new ArgumentException($"{count} codes of {subquantizers} sub-quantizers need {blockCount * bytes} bytes of blocks and {bytes} of table");
        Span<ushort> distances = stackalloc ushort[BlockSize];
        ref var first = ref MemoryMarshal.GetReference(distances);
        var limit = Limit(threshold);
        for (var b = 0; b < blockCount; b++)
        {
            var (d0, d1, d2, d3) = Accumulate(kernel, ref Unsafe.Add(ref MemoryMarshal.GetReference(blocks), b * bytes), ref MemoryMarshal.GetReference(table), subquantizers);
            // Sums are at most 128 x 255, so a signed compare is exact.
            var mask = Vector128.LessThanOrEqual(d0.AsInt16(), limit).ExtractMostSignificantBits()
                | (Vector128.LessThanOrEqual(d1.AsInt16(), limit).ExtractMostSignificantBits() << 8)
                | (Vector128.LessThanOrEqual(d2.AsInt16(), limit).ExtractMostSignificantBits() << 16)
                | (Vector128.LessThanOrEqual(d3.AsInt16(), limit).ExtractMostSignificantBits() << 24);
            var valid = count - b * BlockSize;
            if (valid < BlockSize) mask &= (1u << valid) - 1;
            if (mask == 0) continue;
            d0.StoreUnsafe(ref first);
            d1.StoreUnsafe(ref first, 8);
            d2.StoreUnsafe(ref first, 16);
            d3.StoreUnsafe(ref first, 24);
            for (; mask != 0; mask &= mask - 1)
            {
                var e = System.Numerics.BitOperations.TrailingZeroCount(mask);
                if (distances[e] > threshold) continue; // the threshold fell since the mask was made
                threshold = sink.Offer(b * BlockSize + e, distances[e]);
                limit = Limit(threshold);
            }
        }
    }

    /// <summary>
    /// <c>distances[e] = sum_m table[16 m + code(m, e)]</c> for the 32 entries of one block.
    /// </summary>
    /// <exception cref="ArgumentException">The spans do not fit <paramref name="subquantizers"/>, or the kernel needs a multiple of 4 (AVX-512) or 2 (AVX2) sub-quantizers.</exception>
    /// <exception cref="PlatformNotSupportedException">The kernel does not run on this CPU.</exception>
    public static void Block(FastScanKernel kernel, ReadOnlySpan<byte> block, ReadOnlySpan<byte> table, int subquantizers, Span<ushort> distances)
    {
        var bytes = BlockBytes(subquantizers);
        if (block.Length < bytes || table.Length < bytes || distances.Length < BlockSize)
            throw new ArgumentException($"a block of {subquantizers} sub-quantizers needs {bytes} bytes of codes and table and {BlockSize} distances");
        Check(kernel, subquantizers);
        var (d0, d1, d2, d3) = Accumulate(kernel, ref MemoryMarshal.GetReference(block), ref MemoryMarshal.GetReference(table), subquantizers);
        d0.CopyTo(distances);
        d1.CopyTo(distances[8..]);
        d2.CopyTo(distances[16..]);
        d3.CopyTo(distances[24..]);
    }

    /// <summary>The 32 sums of a block, entries 0-7, 8-15, 16-23 and 24-31.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector128<ushort>, Vector128<ushort>, Vector128<ushort>, Vector128<ushort>) Accumulate(FastScanKernel kernel, ref byte codes, ref byte table, int subquantizers) =>
        kernel switch
        {
            FastScanKernel.Avx512Bw => Avx512(ref codes, ref table, subquantizers / 4),
            FastScanKernel.Avx2 => Avx2Block(ref codes, ref table, subquantizers / 2),
            _ => ScalarBlock(ref codes, ref table, subquantizers),
        };

    private static (Vector128<ushort>, Vector128<ushort>, Vector128<ushort>, Vector128<ushort>) ScalarBlock(ref byte codes, ref byte table, int subquantizers)
    {
        Span<ushort> sums = stackalloc ushort[BlockSize];
        Scalar(MemoryMarshal.CreateReadOnlySpan(ref codes, BlockBytes(subquantizers)), MemoryMarshal.CreateReadOnlySpan(ref table, BlockBytes(subquantizers)), subquantizers, sums);
        return (Vector128.Create<ushort>(sums), Vector128.Create<ushort>(sums[8..]), Vector128.Create<ushort>(sums[16..]), Vector128.Create<ushort>(sums[24..]));
    }

    // Every sum is under short.MaxValue, so a larger threshold lets everything through.
    private static Vector128<short> Limit(ushort threshold) => Vector128.Create((short)Math.Min(threshold, (ushort)short.MaxValue));

    /// <summary>Refuses a kernel the CPU lacks, or a sub-quantizer count it cannot take.</summary>
    public static void Check(FastScanKernel kernel, int subquantizers)
    {
        if (!FastScanKernels.Choice.IsSupported(kernel)) throw new PlatformNotSupportedException($"the {kernel} fast-scan kernel does not run on this CPU");
        var multiple = kernel switch { FastScanKernel.Avx512Bw => 4, FastScanKernel.Avx2 => 2, _ => 1 };
        if (subquantizers < 1 || subquantizers > MaxSubquantizers || subquantizers % multiple != 0)
            throw new ArgumentException($"the {kernel} kernel takes 1 to {MaxSubquantizers} sub-quantizers in multiples of {multiple}, got {subquantizers}");
    }

    /// <summary>The plain loop: what the SIMD kernels must equal.</summary>
    public static void Scalar(ReadOnlySpan<byte> block, ReadOnlySpan<byte> table, int subquantizers, Span<ushort> distances)
    {
        for (var e = 0; e < BlockSize; e++)
        {
            var sum = 0;
            for (var m = 0; m < subquantizers; m++)
            {
                var packed = block[16 * m + (e & 15)];
                sum += table[16 * m + (e < 16 ? packed & 15 : packed >> 4)];
            }
            distances[e] = (ushort)sum;
        }
    }

    // Four sub-quantizers per 64-byte load: lane k of the load and of the table belongs to sub-quantizer 4g + k.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector128<ushort>, Vector128<ushort>, Vector128<ushort>, Vector128<ushort>) Avx512(ref byte codes, ref byte table, int groups)
    {
        var nibble = Vector512.Create((byte)0x0F);
        Vector512<ushort> low = default, lowOdd = default, high = default, highOdd = default;
        for (var g = 0; g < groups; g++)
        {
            var c = Vector512.LoadUnsafe(ref codes, (nuint)(64 * g));
            var t = Vector512.LoadUnsafe(ref table, (nuint)(64 * g));
            var d0 = Avx512BW.Shuffle(t, c & nibble).AsUInt16();
            var d1 = Avx512BW.Shuffle(t, Vector512.ShiftRightLogical(c.AsUInt16(), 4).AsByte() & nibble).AsUInt16();
            low += d0;
            lowOdd += Vector512.ShiftRightLogical(d0, 8);
            high += d1;
            highOdd += Vector512.ShiftRightLogical(d1, 8);
        }
        return InEntryOrder(Lanes(low - Vector512.ShiftLeft(lowOdd, 8)), Lanes(lowOdd), Lanes(high - Vector512.ShiftLeft(highOdd, 8)), Lanes(highOdd));
    }

    // Two sub-quantizers per 32-byte load.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector128<ushort>, Vector128<ushort>, Vector128<ushort>, Vector128<ushort>) Avx2Block(ref byte codes, ref byte table, int groups)
    {
        var nibble = Vector256.Create((byte)0x0F);
        Vector256<ushort> low = default, lowOdd = default, high = default, highOdd = default;
        for (var g = 0; g < groups; g++)
        {
            var c = Vector256.LoadUnsafe(ref codes, (nuint)(32 * g));
            var t = Vector256.LoadUnsafe(ref table, (nuint)(32 * g));
            var d0 = Avx2.Shuffle(t, c & nibble).AsUInt16();
            var d1 = Avx2.Shuffle(t, Vector256.ShiftRightLogical(c.AsUInt16(), 4).AsByte() & nibble).AsUInt16();
            low += d0;
            lowOdd += Vector256.ShiftRightLogical(d0, 8);
            high += d1;
            highOdd += Vector256.ShiftRightLogical(d1, 8);
        }
        return InEntryOrder(Lanes(low - Vector256.ShiftLeft(lowOdd, 8)), Lanes(lowOdd), Lanes(high - Vector256.ShiftLeft(highOdd, 8)), Lanes(highOdd));
    }

    private static Vector128<ushort> Lanes(Vector512<ushort> v) => Lanes(v.GetLower() + v.GetUpper());

    private static Vector128<ushort> Lanes(Vector256<ushort> v) => v.GetLower() + v.GetUpper();

    // Word w of "even" is entry 2w, of "odd" entry 2w + 1: interleaved back into entry order.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector128<ushort>, Vector128<ushort>, Vector128<ushort>, Vector128<ushort>) InEntryOrder(
        Vector128<ushort> lowEven, Vector128<ushort> lowOdd, Vector128<ushort> highEven, Vector128<ushort> highOdd) =>
        (Sse2.UnpackLow(lowEven, lowOdd), Sse2.UnpackHigh(lowEven, lowOdd), Sse2.UnpackLow(highEven, highOdd), Sse2.UnpackHigh(highEven, highOdd));
}

/// <summary>Takes the entries a <see cref="FastScan.Scan{TSink}"/> finds under its threshold.</summary>
internal interface IFastScanSink
{
    /// <summary>Entry <paramref name="entry"/> of the scanned list scored <paramref name="distance"/>; returns the threshold from now on.</summary>
    ushort Offer(int entry, ushort distance);
}
