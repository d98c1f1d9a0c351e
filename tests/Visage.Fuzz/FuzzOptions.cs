namespace Visage.Fuzz;

/// <summary>Command line of the fuzz harness: <c>TARGET [--seed N] [--count N] [--seconds N] [--out DIR]</c>.</summary>
internal sealed record FuzzOptions(string Target, int Seed, int Count, int Seconds, string Out)
{
    public static FuzzOptions Parse(string[] args)
    {
        string Value(string name, string fallback)
        {
            var i = Array.IndexOf(args, name);
            return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
        }
        var target = args.Length > 0 && !args[0].StartsWith("--") ? args[0] : "library";
        return new FuzzOptions(target, int.Parse(Value("--seed", "1")), int.Parse(Value("--count", "2000")),
            int.Parse(Value("--seconds", "300")), Value("--out", Path.Combine(Path.GetTempPath(), "visage-fuzz")));
    }
}
