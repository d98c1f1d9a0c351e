namespace Visage.Serve.Telemetry;

/// <summary>
/// The name of one service's meter, which its OpenTelemetry provider subscribes to: <see cref="Default"/> for the
/// first service of a process, <c>Visage.2</c>, <c>Visage.3</c>... for more (the in-process test servers, an
/// application hosting two). A provider subscribes by name across the whole process and keeps only the first of
/// several identical instruments, so two services sharing a name would each export whichever service's counters were
/// made first.
/// </summary>
/// <param name="Name">The meter's name (the <c>otel_scope_name</c> of every exported sample).</param>
public sealed record ServiceMeter(string Name)
{
    /// <summary>The meter's name in a process that hosts one service.</summary>
    public const string Default = "Visage";

    private static int _services;

    /// <summary>The name for the next service hosted in this process.</summary>
    public static ServiceMeter Next() => Interlocked.Increment(ref _services) is var n && n == 1 ? new(Default) : new($"{Default}.{n}");
}
