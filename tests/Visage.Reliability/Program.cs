using System.Text.Json;
using Visage.Reliability;

// Reliability harnesses against real `visage serve` processes on loopback (bounded in rounds, requests and time).
//   dotnet run --project tests/Visage.Reliability -c Release -- crash --db sqlite|postgres --rounds 20 --clients 4 --seed 1
//   dotnet run --project tests/Visage.Reliability -c Release -- outage --rounds 3 --clients 8
//   dotnet run --project tests/Visage.Reliability -c Release -- load --levels 1,2,4,8,16,32,64 --seconds 20
//   dotnet run --project tests/Visage.Reliability -c Release -- soak --clients 50 --minutes 30
//   dotnet run --project tests/Visage.Reliability -c Release -- replicas --replicas 3 --rounds 10 [--nginx]
//   dotnet run --project tests/Visage.Reliability -c Release -- frigate --cameras 1,4 --rounds 30
//   dotnet run --project tests/Visage.Reliability -c Release -- rates --seconds 60 --rate 5 --burst 20 [--loops 4]
//   dotnet run --project tests/Visage.Reliability -c Release -- changelog --writes 1000000 --batch 1000 --window-seconds 60
// Prints a JSON report; exit code 0 when every promise held, 1 otherwise.
var a = new Args(args);
object report = a.Command switch
{
    "crash" => await CrashHarness.RunAsync(new CrashOptions(a.Text("--db", "sqlite"), a.Int("--rounds", 20), a.Int("--clients", 4), a.Int("--seed", 1)), Console.Error),
    "outage" => await OutageHarness.RunAsync(new OutageOptions(a.Int("--rounds", 3), a.Int("--clients", 8), a.Int("--outage-seconds", 10)), Console.Error),
    "load" => await LoadHarness.RunAsync(new LoadOptions([.. a.Text("--levels", "1,2,4,8,16,32,64").Split(',').Select(int.Parse)],
        TimeSpan.FromSeconds(a.Int("--seconds", 20)), a.Int("--requests", 5000), a.Text("--db", "sqlite")), Console.Error),
    "soak" => await LoadHarness.RunAsync(new LoadOptions([a.Int("--clients", 50)], TimeSpan.FromMinutes(a.Int("--minutes", 30)),
        int.MaxValue, a.Text("--db", "sqlite"), SampleEvery: TimeSpan.FromSeconds(10)), Console.Error),
    "replicas" => await ReplicaHarness.RunAsync(new ReplicaOptions(a.Int("--replicas", 3), a.Int("--rounds", 10), a.Has("--nginx")), Console.Error),
    "rates" => await RateLimitHarness.RunAsync(new RateLimitOptions(a.Int("--seconds", 60), a.Int("--rate", 5), a.Int("--burst", 20), a.Int("--loops", 4)), Console.Error),
    "changelog" => await ChangeLogHarness.RunAsync(new ChangeLogOptions(a.Int("--writes", 1_000_000), a.Int("--batch", 1000), a.Int("--window-seconds", 60)), Console.Error),
    "frigate" => await FrigateHarness.RunAsync(new FrigateBenchOptions([.. a.Text("--cameras", "1,4").Split(',').Select(int.Parse)], a.Int("--rounds", 30)), Console.Error),
    _ => throw new ArgumentException("usage: crash | outage | load | soak | replicas | frigate | rates | changelog (see Program.cs)"),
};
Console.WriteLine(JsonSerializer.Serialize(report, report.GetType(), new JsonSerializerOptions { WriteIndented = true }));
return (bool)report.GetType().GetProperty("Passed")!.GetValue(report)! ? 0 : 1;

internal sealed class Args(string[] args)
{
    public string Command => args.Length > 0 ? args[0] : "";

    public bool Has(string name) => args.Contains(name);

    public string Text(string name, string fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
    }

    public int Int(string name, int fallback) => int.Parse(Text(name, fallback.ToString(System.Globalization.CultureInfo.InvariantCulture)), System.Globalization.CultureInfo.InvariantCulture);
}
