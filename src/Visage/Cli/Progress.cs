using Spectre.Console;

namespace Visage.Cli;

/// <summary>
/// A progress bar on stderr for long work (enroll, eval, cluster); silent when stderr is not a terminal,
/// so redirected or JSON output stays clean.
/// </summary>
public static class Progress
{
    /// <summary>Runs <paramref name="work"/>, which calls the action it is given once per finished item.</summary>
    public static T Run<T>(string description, int total, Func<Action, T> work)
    {
        if (Console.IsErrorRedirected || total <= 1) return work(() => { });
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        return console.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .Start(ctx =>
            {
                var task = ctx.AddTask(description, maxValue: total);
                return work(() => task.Increment(1));
            });
    }
}
