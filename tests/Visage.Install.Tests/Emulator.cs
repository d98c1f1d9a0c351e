namespace Visage.Install.Tests;

/// <summary>Runs under Debian's qemu-user, which now and then crashes itself where the build does not.</summary>
public static class Emulator
{
    /// <summary>
    /// Runs <paramref name="launcher"/> with <paramref name="args"/>, again (up to <see cref="Attempts"/> in all) when
    /// qemu-user itself died of SIGSEGV ("qemu: uncaught target signal 11"). Seen once in six runs of the install tests,
    /// then twice and four times in a row in full-suite runs (the no-AVX embed, while the other test projects load both
    /// cores), never alone (3 of 3 passed right after) and never with the native build: qemu's user
    /// mode emulates the signals and threads of a multi-threaded .NET process imperfectly. Any other failure is the test's.
    /// </summary>
    public static ChildProcess Run(string[] launcher, IEnumerable<string> args, IDictionary<string, string?> env, TimeSpan timeout)
    {
        string[] command = [.. launcher[1..], .. args];
        var result = ChildProcess.Run(launcher[0], command, env, timeout);
        for (var attempt = 1; attempt < Attempts && QemuCrashed(result); attempt++)
        {
            Thread.Sleep(TimeSpan.FromSeconds(2 * attempt)); // the crashes come with load: give the other tests' bursts time to pass
            result = ChildProcess.Run(launcher[0], command, env, timeout);
        }
        return result;
    }

    /// <summary>Runs of one command at most, when qemu crashes.</summary>
    public const int Attempts = 8;

    private static bool QemuCrashed(ChildProcess result) =>
        result.ExitCode == 139 && result.Stderr.Contains("qemu: uncaught target signal 11", StringComparison.Ordinal);
}
