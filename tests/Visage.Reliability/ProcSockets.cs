using System.Globalization;

namespace Visage.Reliability;

/// <summary>Counts a process's TCP connections from /proc (its socket inodes matched against /proc/net/tcp).</summary>
internal static class ProcSockets
{
    public static int ConnectionsTo(int pid, int remotePort)
    {
        HashSet<string> inodes;
        try
        {
            inodes = Directory.EnumerateFiles($"/proc/{pid}/fd")
                .Select(fd => { try { return new FileInfo(fd).LinkTarget; } catch (IOException) { return null; } })
                .Where(t => t is not null && t.StartsWith("socket:[", StringComparison.Ordinal))
                .Select(t => t![8..^1]).ToHashSet();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return 0; }
        var count = 0;
        foreach (var table in (string[])["/proc/net/tcp", "/proc/net/tcp6"])
        {
            if (!File.Exists(table)) continue;
            foreach (var line in File.ReadLines(table).Skip(1))
            {
                // sl local_address rem_address st ... inode
                var f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                var state = f[3];
                if (state is "0A" or "07") continue; // LISTEN, CLOSE
                var port = int.Parse(f[2][(f[2].IndexOf(':') + 1)..], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                if (port == remotePort && inodes.Contains(f[9])) count++;
            }
        }
        return count;
    }
}
