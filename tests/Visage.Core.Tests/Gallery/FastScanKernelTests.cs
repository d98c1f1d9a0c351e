using Visage.Gallery.Search.Compressed;

namespace Visage.Tests.Gallery;

/// <summary>
/// Each fast-scan kernel (4-bit codes summed through in-register tables) against a naive loop over the codes, on the
/// CPU at hand, with codes packed by the lists' own layout; the kernels the CPU lacks are never chosen and are refused.
/// </summary>
public sealed class FastScanKernelTests
{
    public static TheoryData<FastScanKernel> Kernels => [.. Enum.GetValues<FastScanKernel>()];

    private static void WithKernel(FastScanKernel kernel, Action test) => KernelTesting.With(FastScanKernels.Choice, kernel, test);

    /// <summary>Lists of random codes (one 0..15 value per sub-quantizer and entry), packed by <see cref="InvertedLists"/>.</summary>
    private static (InvertedLists Lists, byte[][] Codes) Packed(Random rng, int entries, int subquantizers)
    {
        var lists = new InvertedLists(1, subquantizers);
        lists.EnsureSlots(entries);
        var codes = new byte[entries][];
        for (var e = 0; e < entries; e++)
        {
            codes[e] = new byte[subquantizers];
            for (var m = 0; m < subquantizers; m++) codes[e][m] = (byte)rng.Next(16);
            lists.Add(0, e, codes[e]);
        }
        return (lists, codes);
    }

    private static int Naive(byte[] codes, byte[] table)
    {
        var sum = 0;
        for (var m = 0; m < codes.Length; m++) sum += table[16 * m + codes[m]];
        return sum;
    }

    [Theory]
    [MemberData(nameof(Kernels))]
    public void Block_sums_equal_a_naive_loop_at_every_sub_quantizer_count(FastScanKernel kernel) => WithKernel(kernel, () =>
    {
        var rng = new Random(17);
        foreach (var subquantizers in new[] { 4, 8, 32, 64, 128 })
        {
            var (lists, codes) = Packed(rng, 96, subquantizers);
            var table = new byte[subquantizers * 16];
            rng.NextBytes(table);
            // The extremes: every entry 255 for the first block's codes must not overflow 16 bits.
            if (subquantizers == 128) Array.Fill(table, (byte)255);
            var blocks = lists.Blocks(0);
            var sums = new ushort[32];
            for (var b = 0; b < 3; b++)
            {
                FastScan.Block(kernel, blocks.Slice(b * subquantizers * 16, subquantizers * 16), table, subquantizers, sums);
                for (var e = 0; e < 32; e++) Assert.Equal(Naive(codes[b * 32 + e], table), sums[e]);
            }
        }
    });

    [Theory]
    [MemberData(nameof(Kernels))]
    public void Scan_hands_over_exactly_the_entries_under_a_falling_threshold(FastScanKernel kernel) => WithKernel(kernel, () =>
    {
        var rng = new Random(18);
        foreach (var entries in new[] { 1, 31, 32, 33, 200 })
        {
            var (lists, codes) = Packed(rng, entries, 32);
            var table = new byte[32 * 16];
            rng.NextBytes(table);
            var sink = new KeepBest(5);
            FastScan.Scan(kernel, lists.Blocks(0), entries, table, 32, ushort.MaxValue, ref sink);
            // The five smallest sums, as a naive scan ranks them.
            var expected = codes.Select((c, e) => (Sum: Naive(c, table), Entry: e)).OrderBy(x => x.Sum).Take(5).Select(x => x.Sum).ToArray();
            Assert.Equal(expected, sink.Best.Order().Select(x => (int)x).ToArray());
        }
    });

    [Fact]
    public void The_best_kernel_is_the_first_supported_and_scalar_runs_everywhere() => KernelTesting.BestIsFirstSupported(FastScanKernels.Choice);

    [Fact]
    public void Detected_kernels_agree_with_the_flags_the_linux_kernel_reports() =>
        KernelTesting.AgreesWithCpuFlags(FastScanKernels.Choice, (FastScanKernel.Avx512Bw, "avx512bw"), (FastScanKernel.Avx2, "avx2"));

    [Fact]
    public void A_kernel_this_CPU_lacks_is_refused_by_the_scan_itself()
    {
        foreach (var kernel in Enum.GetValues<FastScanKernel>().Where(k => !FastScanKernels.Choice.IsSupported(k)))
            Assert.Throws<PlatformNotSupportedException>(() => FastScan.Block(kernel, new byte[512], new byte[512], 32, new ushort[32]));
        Assert.Contains(FastScanKernel.Scalar, FastScanKernels.Choice.Supported);
    }

    [Fact]
    public void A_sub_quantizer_count_a_kernel_cannot_take_is_refused()
    {
        foreach (var kernel in FastScanKernels.Choice.Supported.Where(k => k != FastScanKernel.Scalar))
            Assert.Throws<ArgumentException>(() => FastScan.Block(kernel, new byte[48], new byte[48], 3, new ushort[32]));
        Assert.Throws<ArgumentException>(() => FastScan.Block(FastScanKernel.Scalar, new byte[129 * 16], new byte[129 * 16], 129, new ushort[32]));
    }

    /// <summary>Keeps the k smallest sums offered, and answers the largest kept once full.</summary>
    private struct KeepBest(int k) : IFastScanSink
    {
        public List<ushort> Best { get; } = [];

        public ushort Offer(int entry, ushort distance)
        {
            Best.Add(distance);
            Best.Sort();
            if (Best.Count > k) Best.RemoveAt(k);
            return Best.Count == k ? Best[^1] : ushort.MaxValue;
        }
    }
}
