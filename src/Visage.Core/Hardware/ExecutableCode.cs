using System.Runtime.InteropServices;

namespace Visage.Hardware;

/// <summary>
/// Machine code placed in a page of its own that is made executable and never written again (mapped writable, filled,
/// then switched to read+execute, so no page is ever writable and executable at once). For the few kernels that need an
/// instruction .NET 10 has no intrinsic for. Linux only; the pages live as long as the process.
/// </summary>
internal static partial class ExecutableCode
{
    private const int ProtRead = 1, ProtWrite = 2, ProtExec = 4;
    private const int MapPrivate = 0x02, MapAnonymous = 0x20;

    /// <summary>True where <see cref="Load"/> works: Linux, whose mmap flags are the ones above.</summary>
    public static bool IsSupported => OperatingSystem.IsLinux();

    /// <summary>Copies <paramref name="code"/> into a new executable page and returns its address, or 0 when the OS refuses.</summary>
    public static unsafe nint Load(ReadOnlySpan<byte> code)
    {
        if (!IsSupported) return 0;
        var length = (nuint)((code.Length + 4095) & ~4095);
        var page = Mmap(0, length, ProtRead | ProtWrite, MapPrivate | MapAnonymous, -1, 0);
        if (page == -1) return 0;
        code.CopyTo(new Span<byte>((void*)page, code.Length));
        if (Mprotect(page, length, ProtRead | ProtExec) == 0) return page;
        _ = Munmap(page, length); // a hardened kernel may refuse executable anonymous memory: the caller falls back
        return 0;
    }

    [LibraryImport("libc", EntryPoint = "mmap")]
    private static partial nint Mmap(nint address, nuint length, int protection, int flags, int fd, nint offset);

    [LibraryImport("libc", EntryPoint = "mprotect")]
    private static partial int Mprotect(nint address, nuint length, int protection);

    [LibraryImport("libc", EntryPoint = "munmap")]
    private static partial int Munmap(nint address, nuint length);
}
