using System.CommandLine;
using Visage.Cli;
using Visage.Gallery.Storage;

namespace Visage.Commands;

/// <summary><c>visage audit</c>: the admin actions recorded in the gallery's database, newest first.</summary>
internal static class AuditCommand
{
    public static Command Create()
    {
        var limit = new Option<int>("--limit") { Description = "The most entries to print", DefaultValueFactory = _ => 100 };
        var since = new Option<DateTimeOffset?>("--since") { Description = "Only entries at or after this time (ISO 8601)" };
        var json = new Option<bool>("--json") { Description = "Print JSON" };
        var gallery = new GalleryOption();
        var command = new Command("audit", "Admin actions (who: key id and name, or the CLI; what; when), newest first") { limit, since, json };
        gallery.AddTo(command);
        command.SetAction(r => CommandRunner.Run(() =>
        {
            var count = r.GetValue(limit);
            if (count is < 1 or > AuditLog.MaxPage) throw new CliException(ExitCodes.Usage, $"--limit must be between 1 and {AuditLog.MaxPage}");
            using var store = gallery.OpenStore(r);
            var entries = new AuditLog(store).List(new AuditQuery(r.GetValue(since)?.UtcDateTime, null, count));
            if (r.GetValue(json)) JsonOutput.Print(entries);
            else
                foreach (var e in entries)
                    Console.WriteLine($"{e.Id,6}  {e.AtUtc:yyyy-MM-dd HH:mm:ss}Z  {(e.KeyId is { } k ? $"key {k}" : "-"),-8}  {e.Actor,-24}  {e.Action,-18}  {e.TargetId?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "",6}  {e.Detail}");
            return ExitCodes.Ok;
        }));
        return command;
    }
}
