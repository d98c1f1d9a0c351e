namespace Visage.Install.Tests;

/// <summary>Runs under Debian's qemu-user, which now and then crashes itself where the build does not.</summary>
public static class Emulator
{
    /// <summary>
    /// Runs <paramref name="launcher"/> with <paramref name="args"/>, once more when qemu-user itself died of SIGSEGV
    /// ("qemu: uncaught target signal 11"). Seen once in six runs of the install tests (the no-AVX embed, on a loaded machine), never twice in
    /// a row and never with the native build: qemu's user mode emulates the signals and threads of a multi-threaded .NET
    /// process imperfectly. Any other failure, or a second crash, is the test's.
    /// </summary>
    public static ChildProcess Run(string[] launcher, IEnumerable<string> args, IDictionary<string, string?> env, TimeSpan timeout)
    {
        var result = ChildProcess.Run(launcher[0], [.. launcher[1..], .. args], env, timeout);
        return result.ExitCode == 139 && result.Stderr.Contains("qemu: uncaught target signal 11", StringComparison.Ordinal)
            ? ChildProcess.Run(launcher[0], [.. launcher[1..], .. args], env, timeout)
            : result;
    }
}
