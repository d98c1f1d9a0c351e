using System.CommandLine;
using Microsoft.Extensions.Configuration;

namespace Visage.Cli;

/// <summary>
/// Lets every option of a command be set the ways ASP.NET users expect: on the command line, else in an environment
/// variable, else in <c>appsettings.json</c> beside the executable. The names follow from the option's:
/// <c>--max-body-mb</c> is <c>VISAGE_MAX_BODY_MB</c> and <c>"Visage": { "MaxBodyMb": 20 }</c>; a repeatable option's
/// variable is plural and comma-separated (<c>--cors-origin</c>: <c>VISAGE_CORS_ORIGINS=a,b</c>, or a JSON array).
/// <c>--urls</c> also reads ASP.NET Core's own <c>ASPNETCORE_URLS</c> and <c>"urls"</c>.
/// The values found become command-line tokens, so each is checked by its option's own parser; a value the option
/// refuses stops the start with one line naming where it came from.
/// </summary>
public sealed class CommandSettings(IConfiguration configuration)
{
    /// <summary>The prefix of Visage's environment variables.</summary>
    public const string Prefix = "VISAGE_";

    /// <summary>The section of <c>appsettings.json</c> the options are read from.</summary>
    public const string Section = "Visage";

    /// <summary>Variables that are no option of a command but are read elsewhere (they are not reported as unknown).</summary>
    private static readonly string[] OtherVariables = ["VISAGE_HOME", "VISAGE_ADMIN_KEY"];

    /// <summary>Variables the test suite gives its child processes; never settings.</summary>
    private const string TestPrefix = "VISAGE_TEST_";

    /// <summary>ASP.NET Core's own names for an option, read after Visage's (the host's conventions).</summary>
    private static readonly Dictionary<string, string[]> AspNetNames = new() { ["--urls"] = ["ASPNETCORE_URLS", "urls"] };

    /// <summary>The configuration of a process: appsettings.json (and appsettings.ENVIRONMENT.json) beside the executable, then the environment.</summary>
    public static CommandSettings FromProcess()
    {
        var environment = Environment.GetEnvironmentVariable("DOTNET_ENVIRONMENT") ?? Environment.GetEnvironmentVariable("ASPNETCORE_ENVIRONMENT") ?? "Production";
        return new CommandSettings(new ConfigurationBuilder()
            .SetBasePath(AppContext.BaseDirectory)
            .AddJsonFile("appsettings.json", optional: true)
            .AddJsonFile($"appsettings.{environment}.json", optional: true)
            .AddEnvironmentVariables()
            .Build());
    }

    /// <summary>The environment variable of an option: <c>--max-body-mb</c> is <c>VISAGE_MAX_BODY_MB</c>, <c>--cors-origin</c> (repeatable) <c>VISAGE_CORS_ORIGINS</c>.</summary>
    public static string VariableOf(Option option)
    {
        var name = Prefix + option.Name.TrimStart('-').ToUpperInvariant().Replace('-', '_');
        return Repeatable(option) ? name + "S" : name;
    }

    /// <summary>The key of an option in appsettings.json: <c>Visage:MaxBodyMb</c>.</summary>
    public static string KeyOf(Option option) =>
        Section + ":" + string.Concat(VariableOf(option)[Prefix.Length..].Split('_').Select(w => w[..1] + w[1..].ToLowerInvariant()));

    /// <summary>
    /// Parses <paramref name="args"/>; when they invoke one of <paramref name="commands"/>, the options they leave out are
    /// taken from the configuration first. Returns null, having written one line to <paramref name="errors"/>, when a
    /// configured value is refused.
    /// </summary>
    public ParseResult? Parse(RootCommand root, string[] args, IReadOnlyCollection<Command> commands, TextWriter errors)
    {
        var parsed = root.Parse(args);
        var command = parsed.CommandResult.Command;
        if (!commands.Contains(command) || parsed.Errors.Count > 0) return parsed;

        var added = new List<string>();
        foreach (var option in command.Options.Where(o => !o.Hidden && parsed.GetResult(o) is null or { Implicit: true }))
        {
            if (Configured(option) is not { } found) continue;
            string[] tokens = [option.Name, .. found.Values];
            var alone = root.Parse([.. CommandPath(parsed), .. tokens]);
            if (alone.Errors.Count > 0)
            {
                var reason = string.Join(' ', alone.Errors[0].Message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)); // the parser lists choices on lines of their own
                errors.WriteLine($"visage: error: {found.Source}={string.Join(',', found.Values)}: {reason}");
                return null;
            }
            added.AddRange(tokens);
        }
        WarnAboutUnknownVariables(command, commands, errors);
        return added.Count == 0 ? parsed : root.Parse([.. args, .. added]);
    }

    private (string Source, string[] Values)? Configured(Option option)
    {
        string[] names = [VariableOf(option), KeyOf(option), .. AspNetNames.GetValueOrDefault(option.Name, [])];
        foreach (var name in names)
        {
            var section = configuration.GetSection(name);
            var values = section.Value is { Length: > 0 } single
                ? Repeatable(option) ? single.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) : [single]
                : [.. section.GetChildren().Select(c => c.Value).OfType<string>()]; // a JSON array
            if (values.Length > 0) return (name.Contains(':') ? $"appsettings {name}" : name, values);
        }
        return null;
    }

    /// <summary>A misspelt variable would be ignored in silence: say so (the one warning a user can act on).</summary>
    private static void WarnAboutUnknownVariables(Command command, IReadOnlyCollection<Command> commands, TextWriter errors)
    {
        // Every configurable command's variables are known: one environment serves them all (serve and health in a container).
        var known = commands.SelectMany(c => c.Options).Select(VariableOf).Concat(OtherVariables).ToHashSet(StringComparer.Ordinal);
        foreach (var name in Environment.GetEnvironmentVariables().Keys.OfType<string>().Order(StringComparer.Ordinal))
            if (name.StartsWith(Prefix, StringComparison.Ordinal) && !name.StartsWith(TestPrefix, StringComparison.Ordinal) && !known.Contains(name))
                errors.WriteLine($"visage: warning: {name} is not a Visage setting and is ignored (see 'visage {command.Name} --help')");
    }

    private static bool Repeatable(Option option) => option.Arity.MaximumNumberOfValues > 1;

    private static IEnumerable<string> CommandPath(ParseResult parsed)
    {
        var path = new Stack<string>();
        for (var c = parsed.CommandResult; c.Parent is System.CommandLine.Parsing.CommandResult parent; c = parent) path.Push(c.Command.Name);
        return path;
    }
}
