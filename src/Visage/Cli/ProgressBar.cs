using Spectre.Console;

namespace Visage.Cli;

/// <summary>
/// A progress bar on stderr for long work (stdout stays clean for <c>--json</c>); nothing is drawn when stderr is
/// redirected (scripts, CI, tests), and the work runs the same either way.
/// </summary>
public static class ProgressBar
{
    /// <summary>Runs <paramref name="work"/>, which calls its argument once per finished item of <paramref name="total"/>.</summary>
    public static T Run<T>(string description, int total, Func<Action, T> work)
    {
        if (Console.IsErrorRedirected || total <= 1) return work(() => { });
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(Console.Error),
            Interactive = InteractionSupport.Yes, // Spectre decides from stdout, which --json may send to a file
        });
        return console.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .Start(context =>
            {
                var task = context.AddTask(description, maxValue: total);
                var result = work(() => task.Increment(1));
                task.Value = task.MaxValue;
                return result;
            });
    }
}
