using System.CommandLine;
using Visage.Cli;
using Visage.Models;
using Visage.Pipeline;

namespace Visage.Commands;

/// <summary><c>visage models fetch|import|info</c>: the cached network weights.</summary>
internal static class ModelsCommand
{
    public static Command Create()
    {
        var command = new Command("models", "Fetch, import or inspect the network weights");
        var fetch = new Command("fetch", $"Fetch {ModelCatalog.PackageName}@{ModelCatalog.PackageVersion} with npm, verify it and convert every net");
        fetch.SetAction(_ => CommandRunner.Run(() =>
        {
            var store = new ModelStore();
            store.Fetch(Console.Error);
            ConvertAll(store);
            return ExitCodes.Ok;
        }));
        var source = new Argument<string>("source") { Description = "The package .tgz, or a folder with the model files" };
        var import = new Command("import", "Import the models on a machine without npm or network access") { source };
        import.SetAction(r => CommandRunner.Run(() =>
        {
            var store = new ModelStore();
            store.Import(r.GetValue(source)!, Console.Error);
            ConvertAll(store);
            return ExitCodes.Ok;
        }));
        var json = new Option<bool>("--json") { Description = "Print JSON" };
        var info = new Command("info", "Where the models are, their sizes and hashes, and which nets are converted") { json };
        info.SetAction(r => CommandRunner.Run(() => Info(r.GetValue(json))));
        var folders = new Argument<string[]>("folders") { Description = "Photo folders (searched recursively)", Arity = ArgumentArity.OneOrMore };
        var output = new Option<string>("--out") { Description = "Folder for the range files", DefaultValueFactory = _ => "src/Visage.Core/Models/Calibration" };
        var calibrate = new Command("calibrate", "Measure the int8 networks' activation ranges on photos (what src/Visage.Core/Models/Calibration holds)") { folders, output };
        calibrate.SetAction(r => CommandRunner.Run(() =>
        {
            Int8Calibration.Run(r.GetValue(folders)!, r.GetValue(output)!, Console.Error);
            return ExitCodes.Ok;
        }));
        command.Add(fetch);
        command.Add(calibrate);
        command.Add(import);
        command.Add(info);
        return command;
    }

    private static void ConvertAll(ModelStore store)
    {
        using var repo = new ModelRepository(store);
        foreach (var model in VisageModels.Registry.Models) repo.LoadOrConvert(model);
        Console.Error.WriteLine($"converted graphs in {repo.OnnxDirectory}");
    }

    private static int Info(bool json)
    {
        var store = new ModelStore();
        using var repo = new ModelRepository(store);
        var files = store.Inspect();
        var graphs = VisageModels.Registry.Models.Select(m => (Net: m.Id, Source: m.Source.Describe(), Path: repo.OnnxPath(m))).ToList();
        if (json)
        {
            JsonOutput.Print(new
            {
                cache = store.CacheDirectory,
                package = $"{ModelCatalog.PackageName}@{ModelCatalog.PackageVersion}",
                modelDirectory = store.ModelDirectory,
                files = files.Select(f => new { net = f.Net, path = f.Path, size = f.Size, sha256 = f.Sha256, state = f.State.ToString().ToLowerInvariant() }),
                graphs = graphs.Select(g => new { net = g.Net, source = g.Source, path = g.Path, converted = File.Exists(g.Path) }),
            });
        }
        else
        {
            Console.WriteLine($"cache     {store.CacheDirectory}");
            Console.WriteLine($"package   {ModelCatalog.PackageName}@{ModelCatalog.PackageVersion}");
            foreach (var f in files)
                Console.WriteLine($"  {f.State.ToString().ToLowerInvariant(),-8} {f.Size,10:N0}  {f.Sha256?[..16] ?? "-",-16}  {Path.GetFileName(f.Path)}");
            foreach (var g in graphs)
                Console.WriteLine($"  {(File.Exists(g.Path) ? "converted" : "not yet"),-9} {Path.GetFileName(g.Path)}");
        }
        return files.All(f => f.State == ModelFileState.Verified) ? ExitCodes.Ok : ExitCodes.ModelsUnavailable;
    }
}
