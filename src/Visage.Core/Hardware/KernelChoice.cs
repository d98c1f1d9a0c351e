namespace Visage.Hardware;

/// <summary>
/// The process-wide choice among the variants of one SIMD kernel: every variant this CPU runs, fastest first (the
/// enum's order), the fastest as the default, and a setter that refuses a variant the CPU lacks (for the bench, to
/// compare variants, and for tests, to run each one against a naive loop).
/// </summary>
/// <typeparam name="TKernel">The kernel's variants, fastest first; the last must run everywhere.</typeparam>
public sealed class KernelChoice<TKernel> where TKernel : struct, Enum
{
    private readonly Func<TKernel, bool> _isSupported;
    private TKernel _current;

    /// <summary>A choice among the variants for which <paramref name="isSupported"/> holds.</summary>
    /// <exception cref="ArgumentException">No variant is supported.</exception>
    public KernelChoice(Func<TKernel, bool> isSupported)
    {
        ArgumentNullException.ThrowIfNull(isSupported);
        _isSupported = isSupported;
        Supported = [.. Enum.GetValues<TKernel>().Where(isSupported)];
        if (Supported.Count == 0) throw new ArgumentException($"no {typeof(TKernel).Name} runs here", nameof(isSupported));
        _current = Supported[0];
    }

    /// <summary>Every variant this CPU and OS run, fastest first.</summary>
    public IReadOnlyList<TKernel> Supported { get; }

    /// <summary>The fastest supported variant: the default.</summary>
    public TKernel Best => Supported[0];

    /// <summary>The variant the process runs: <see cref="Best"/> unless set.</summary>
    /// <exception cref="PlatformNotSupportedException">Set to a variant this CPU cannot run.</exception>
    public TKernel Current
    {
        get => _current;
        set => _current = IsSupported(value) ? value
            : throw new PlatformNotSupportedException($"the {value} {typeof(TKernel).Name} does not run on this CPU ({CpuInfo.Model})");
    }

    /// <summary>Whether <paramref name="kernel"/> can run here (its instructions exist on this CPU and the OS enables them).</summary>
    public bool IsSupported(TKernel kernel) => _isSupported(kernel);
}
