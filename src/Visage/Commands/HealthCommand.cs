using System.CommandLine;
using Visage.Cli;
using Visage.Serve;

namespace Visage.Commands;

/// <summary>
/// <c>visage health</c>: asks a running <c>visage serve</c> on this machine whether it is ready (<c>GET /ready</c>),
/// for a container's HEALTHCHECK, which has no curl to call. It reads the same <c>--urls</c> as <c>serve</c>
/// (and so <c>VISAGE_URLS</c>, <c>ASPNETCORE_URLS</c>, appsettings.json), so the check follows the port the service took.
/// </summary>
internal static class HealthCommand
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    public static Command Create()
    {
        var urls = new Option<string>("--urls")
        {
            Description = "Where the service listens, as given to 'visage serve' (the first address is asked)",
            DefaultValueFactory = _ => ServiceOptions.DefaultUrls,
        };
        var command = new Command("health", "Exit 0 when the visage serve on this machine answers /ready, else 1 (a container's HEALTHCHECK)") { urls };
        command.SetAction(r => CommandRunner.Run(() =>
        {
            var ready = new Uri(Local(r.GetValue(urls)!), "/ready");
            using var client = new HttpClient { Timeout = Timeout };
            try
            {
                using var response = client.GetAsync(ready).GetAwaiter().GetResult();
                if (response.IsSuccessStatusCode) return ExitCodes.Ok;
                throw new CliException(ExitCodes.Failure, $"{ready} answered {(int)response.StatusCode}: {response.Content.ReadAsStringAsync().GetAwaiter().GetResult()}");
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                throw new CliException(ExitCodes.Failure, $"{ready} did not answer: {e.Message}");
            }
        }));
        return command;
    }

    /// <summary>The first address, with a wildcard host (<c>0.0.0.0</c>, <c>*</c>, <c>+</c>, <c>[::]</c>) asked on the loopback.</summary>
    private static Uri Local(string urls)
    {
        var first = urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault()
            ?? throw new CliException(ExitCodes.Usage, "--urls names no address");
        var wildcard = System.Text.RegularExpressions.Regex.Replace(first, @"^(\w+://)(0\.0\.0\.0|\*|\+|\[::\])", "${1}127.0.0.1");
        return Uri.TryCreate(wildcard, UriKind.Absolute, out var uri) ? uri : throw new CliException(ExitCodes.Usage, $"'{first}' is not an address");
    }
}
