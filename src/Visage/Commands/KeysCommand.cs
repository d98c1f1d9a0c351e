using System.CommandLine;
using Visage.Cli;
using Visage.Gallery.Storage;
using Visage.Gallery;
using Visage.Serve.Keys;

namespace Visage.Commands;

/// <summary><c>visage keys create|list|revoke</c>: the service's API keys, stored hashed in the gallery's database.</summary>
internal static class KeysCommand
{
    public static Command Create()
    {
        var command = new Command("keys", "Manage the API keys of 'visage serve' (stored hashed in the gallery database)");

        var name = new Option<string>("--name") { Description = "What the key is for", Required = true };
        var scope = new Option<string>("--scope") { Description = "admin (everything) or recognize (detect, embed, verify, recognize)", DefaultValueFactory = _ => "recognize" };
        scope.AcceptOnlyFromAmong("admin", "recognize");
        var compreface = new Option<string?>("--compreface")
        {
            Description = "Make a CompreFace key instead (a UUID), bound to one CompreFace service: recognition (recognize and manage the face collection), detection or verification",
        };
        compreface.AcceptOnlyFromAmong(CompreFaceService.All);
        var create = new Command("create", "Make a key and print it (the only time it is shown)") { name, scope, compreface };
        Common(create, (store, json, r) =>
        {
            var service = r.GetValue(compreface);
            var key = service is null ? ApiKeySecret.Generate() : ApiKeySecret.GenerateUuid();
            var stored = store.Add(r.GetValue(name)!, ApiKeySecret.ParseScope(r.GetValue(scope))!.Value, key, service);
            if (json) JsonOutput.Print(new { id = stored.Id, name = stored.Name, scope = stored.Scope.Name(), compreface = stored.CompreFace, prefix = stored.Prefix, key });
            else Console.WriteLine(key);
            return ExitCodes.Ok;
        });

        var list = new Command("list", "List the keys: id, scope, prefix, name (never the keys)");
        Common(list, (store, json, _) =>
        {
            var keys = store.List();
            if (json) JsonOutput.Print(keys.Select(k => new { id = k.Id, name = k.Name, scope = k.Scope.Name(), compreface = k.CompreFace, prefix = k.Prefix, created = k.CreatedUtc }));
            else foreach (var k in keys) Console.WriteLine($"{k.Id,4}  {(k.CompreFace is { } s ? "cf-" + s : k.Scope.Name()),-15}  {k.Prefix,-12}  {k.CreatedUtc:yyyy-MM-dd}  {k.Name}");
            return ExitCodes.Ok;
        });

        var id = new Argument<long>("id") { Description = "The key's id (see 'visage keys list')" };
        var revoke = new Command("revoke", "Revoke a key (a running service stops accepting it within seconds)") { id };
        Common(revoke, (store, json, r) =>
        {
            if (!store.Revoke(r.GetValue(id))) throw new CliException(ExitCodes.Failure, $"no API key with id {r.GetValue(id)}");
            if (json) JsonOutput.Print(new { revoked = r.GetValue(id) });
            return ExitCodes.Ok;
        });

        command.Add(create);
        command.Add(list);
        command.Add(revoke);
        return command;
    }

    /// <summary>Adds --db and --json, and runs the body with the key store of the gallery.</summary>
    private static void Common(Command command, Func<ApiKeyStore, bool, ParseResult, int> body)
    {
        var gallery = new GalleryOption();
        var json = new Option<bool>("--json") { Description = "Print JSON" };
        gallery.AddTo(command);
        command.Add(json);
        command.SetAction(r => CommandRunner.Run(() =>
        {
            var location = gallery.Location(r);
            using (GalleryStores.Open(location)) { } // creates or checks the gallery's database before the key table is added
            using var store = ApiKeyStore.Open(location);
            return body(store, r.GetValue(json), r);
        }));
    }
}
