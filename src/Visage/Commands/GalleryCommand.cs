using System.CommandLine;
using System.Security.Cryptography;
using Visage.Cli;
using Visage.Enrollment;
using Visage.Gallery;
using Visage.Gallery.Storage;
using Visage.Imaging;
using Visage.Pipeline;

namespace Visage.Commands;

/// <summary>
/// <c>visage gallery reembed|export|import|erase</c>: vectors of the current pipeline and head for every enrolled image;
/// backups and moves between SQLite and PostgreSQL (<see cref="GalleryArchive"/>); erasing the whole gallery.
/// </summary>
internal static class GalleryCommand
{
    public static Command Create()
    {
        var command = new Command("gallery", "Maintain the gallery");
        command.Add(Reembed());
        command.Add(Export());
        command.Add(Import());
        command.Add(Erase());
        return command;
    }

    private static Command Export()
    {
        var file = new Argument<string>("file") { Description = "The backup to write: a new SQLite gallery file" };
        var gallery = new GalleryOption();
        var json = new Option<bool>("--json") { Description = "Print JSON" };
        var command = new Command("export", "Copy the gallery (persons, faces with vectors, model ids and thumbnails, rejections, sightings; not API keys) to a new file") { file, json };
        gallery.AddTo(command);
        command.SetAction(r => CommandRunner.Run(() =>
        {
            var path = Path.GetFullPath(r.GetValue(file)!);
            if (File.Exists(path)) throw new CliException(ExitCodes.Failure, $"'{path}' exists already: export writes a new file");
            using var store = gallery.OpenStore(r);
            var rows = GalleryArchive.Export(store, path);
            Report(r.GetValue(json), "exported", rows, path);
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command Import()
    {
        var file = new Argument<string>("file") { Description = "A file written by 'visage gallery export' (or any SQLite gallery, of this version or an older one)" };
        var gallery = new GalleryOption();
        var json = new Option<bool>("--json") { Description = "Print JSON" };
        var command = new Command("import", "Copy a backup into an empty gallery (--db: SQLite or PostgreSQL), ids and times kept") { file, json };
        gallery.AddTo(command);
        command.SetAction(r => CommandRunner.Run(() =>
        {
            var path = Path.GetFullPath(r.GetValue(file)!);
            using var store = gallery.OpenStore(r);
            var rows = GalleryArchive.Import(path, store);
            Report(r.GetValue(json), "imported", rows, store.Location);
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command Erase()
    {
        var yes = new Option<bool>("--yes") { Description = "Yes: erase every person, face, rejection and sighting", Required = true };
        var gallery = new GalleryOption();
        var json = new Option<bool>("--json") { Description = "Print JSON" };
        var command = new Command("erase", "Erase the whole gallery (API keys and the audit log stay); on PostgreSQL the tables are rewritten before it returns") { yes, json };
        gallery.AddTo(command);
        command.SetAction(r => CommandRunner.Run(() =>
        {
            if (!r.GetValue(yes)) throw new CliException(ExitCodes.Usage, "erasing the gallery needs --yes");
            using var store = gallery.OpenStore(r);
            var rows = store.EraseAll();
            var report = store.CompleteErasures(TimeSpan.Zero);
            if (!report.Complete)
                Console.Error.WriteLine($"visage: warning: the rewrite of {string.Join(", ", report.Waiting)} must wait (a lock or an older transaction); a running 'visage serve' completes it");
            Report(r.GetValue(json), "erased", rows, store.Location);
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static void Report(bool json, string verb, GalleryRows rows, string where)
    {
        if (json) JsonOutput.Print(new { rows.Persons, rows.Faces, rows.Rejections, rows.Sightings });
        else Console.WriteLine($"{verb} {rows} ({where})");
    }

    private static Command Reembed()
    {
        var gallery = new GalleryOption();
        var photos = new Option<string?>("--photos")
        {
            Description = "Folder of the original photos (subfolders included), matched to enrolled images by SHA-256; needed unless the gallery holds plain descriptors and only a head changed",
        };
        var prune = new Option<bool>("--prune") { Description = "Delete the vectors of other models once an image has one of the new model" };
        var json = new Option<bool>("--json") { Description = "Print JSON" };
        var pipeline = new PipelineOptions();
        var command = new Command("reembed", "Recompute the gallery's vectors for these options and --head (adds them beside the old ones)") { photos, prune, json };
        pipeline.AddTo(command);
        gallery.AddTo(command);
        command.SetAction(r => CommandRunner.Run(() =>
        {
            var bySha = r.GetValue(photos) is { } folder ? HashPhotos(folder) : new Dictionary<string, string>();
            var decoder = pipeline.Decoder(r);
            using var analyzer = new FaceAnalyzer(pipeline.Analyzer(r));
            using var store = gallery.OpenStore(r);
            var persons = (int)store.Count(analyzer.ModelId).Persons;
            var report = ProgressBar.Run("re-embedding", persons, step => new GalleryReembedder(analyzer, decoder).Run(store, bySha, r.GetValue(prune), _ => step()));

            if (r.GetValue(json)) JsonOutput.Print(report);
            else
            {
                Console.WriteLine($"gallery {store.Location} now has vectors of {report.TargetModelId}:");
                Console.WriteLine($"  {report.AlreadyCurrent} image(s) already current, {report.FromVectors} from stored descriptors (no photo needed), {report.FromPhotos} re-embedded from photos, {report.Missing.Count} missing, {report.Pruned} old vector(s) pruned");
                foreach (var m in report.Missing.Take(20)) Console.WriteLine($"  missing: {m.PersonName} {m.ImageSha256[..12]}: {m.Reason}");
            }
            return report.Missing.Count == 0 ? ExitCodes.Ok : ExitCodes.Failure;
        }));
        return command;
    }

    /// <summary>Photo files by the SHA-256 of their bytes (the first of identical files wins).</summary>
    private static Dictionary<string, string> HashPhotos(string folder)
    {
        var paths = PhotoFolder.Photos(folder, recursive: true);
        var bySha = new Dictionary<string, string>(StringComparer.Ordinal);
        ProgressBar.Run("hashing photos", paths.Count, step =>
        {
            foreach (var path in paths)
            {
                using (var stream = File.OpenRead(path)) bySha.TryAdd(Convert.ToHexStringLower(SHA256.HashData(stream)), path);
                step();
            }
            return bySha.Count;
        });
        return bySha;
    }
}
