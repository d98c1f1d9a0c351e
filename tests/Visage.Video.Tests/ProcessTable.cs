namespace Visage.Video.Tests;

/// <summary>The kernel's process table (<c>/proc</c>): whether a child is still there, running or as a zombie.</summary>
public static class ProcessTable
{
    /// <summary>True while <paramref name="pid"/> has an entry (a zombie, not reaped, still has one).</summary>
    public static bool Exists(int pid) => Directory.Exists($"/proc/{pid}");

    /// <summary>
    /// Ids of this test process's children named <paramref name="name"/> whose command line contains
    /// <paramref name="argument"/> (what one test started, when other tests may run their own at the same time).
    /// </summary>
    public static IReadOnlyList<int> ChildrenNamed(string name, string argument) =>
        ChildrenNamed(name).Where(pid => CommandLine(pid).Contains(argument, StringComparison.Ordinal)).ToList();

    /// <summary>The command line of a process, its arguments joined by spaces ("" when it is gone).</summary>
    public static string CommandLine(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ');
        }
        catch (IOException)
        {
            return ""; // Gone meanwhile.
        }
    }

    /// <summary>Ids of this test process's children named <paramref name="name"/> (from <c>/proc/PID/stat</c>).</summary>
    public static IReadOnlyList<int> ChildrenNamed(string name)
    {
        var me = Environment.ProcessId;
        var found = new List<int>();
        foreach (var dir in Directory.GetDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid)) continue;
            string stat;
            try
            {
                stat = File.ReadAllText(Path.Combine(dir, "stat"));
            }
            catch (IOException)
            {
                continue; // Gone meanwhile.
            }
            // "PID (comm) STATE PPID ...": comm may hold spaces, so split after the last ')'.
            var close = stat.LastIndexOf(')');
            var comm = stat[(stat.IndexOf('(') + 1)..close];
            var fields = stat[(close + 2)..].Split(' ');
            if (comm == name && int.Parse(fields[1]) == me) found.Add(pid);
        }
        return found;
    }
}
