using System.CommandLine;
using Visage.Cli;
using Visage.Enrollment;
using Visage.Gallery.Storage;
using Visage.Gallery;

namespace Visage.Commands;

/// <summary><c>visage persons list|delete|rename|check</c>: the people in the gallery.</summary>
internal static class PersonsCommand
{
    public static Command Create()
    {
        var command = new Command("persons", "List, rename or delete enrolled persons");
        var json = new Option<bool>("--json") { Description = "Print JSON" };
        var listGallery = new GalleryOption();
        var list = new Command("list", "Every person with their number of faces") { json };
        listGallery.AddTo(list);
        list.SetAction(r => CommandRunner.Run(() =>
        {
            using var gallery = listGallery.OpenStore(r);
            var persons = AllPersons(gallery);
            if (r.GetValue(json)) JsonOutput.Print(new { persons = persons.Select(p => new { id = p.Id, name = p.Name, faces = p.FaceCount, created = p.CreatedUtc }) });
            else
            {
                Console.WriteLine($"{persons.Count} person(s) in {gallery.Location}");
                foreach (var p in persons) Console.WriteLine($"  {p.Id,6}  {p.Name,-32} {p.FaceCount} face(s)");
            }
            return ExitCodes.Ok;
        }));

        var name = new Argument<string>("name") { Description = "The person's name" };
        var deleteGallery = new GalleryOption();
        var delete = new Command("delete", "Delete a person and every one of their face vectors") { name };
        deleteGallery.AddTo(delete);
        delete.SetAction(r => CommandRunner.Run(() =>
        {
            using var gallery = deleteGallery.OpenStore(r);
            var person = Find(gallery, r.GetValue(name)!);
            gallery.DeletePerson(person.Id);
            gallery.CompleteErasures(TimeSpan.Zero); // PostgreSQL: rewrite the tables now, so the bytes are gone when this returns
            Console.WriteLine($"deleted {person.Name} and {person.FaceCount} face(s)");
            return ExitCodes.Ok;
        }));

        var oldName = new Argument<string>("name") { Description = "Current name" };
        var newName = new Argument<string>("new-name") { Description = "New name" };
        var renameGallery = new GalleryOption();
        var rename = new Command("rename", "Rename a person") { oldName, newName };
        renameGallery.AddTo(rename);
        rename.SetAction(r => CommandRunner.Run(() =>
        {
            using var gallery = renameGallery.OpenStore(r);
            var person = gallery.RenamePerson(Find(gallery, r.GetValue(oldName)!).Id, r.GetValue(newName)!);
            Console.WriteLine($"renamed to {person.Name}");
            return ExitCodes.Ok;
        }));

        var checkJson = new Option<bool>("--json") { Description = "Print JSON" };
        var checkGallery = new GalleryOption();
        var check = new Command("check", "Find enrolled faces that lie far from the person's other faces: probably someone else's photo") { checkJson };
        checkGallery.AddTo(check);
        check.SetAction(r => CommandRunner.Run(() =>
        {
            using var gallery = checkGallery.OpenStore(r);
            var persons = AllPersons(gallery);
            var suspects = persons.SelectMany(p => gallery.ListFaces(p.Id).GroupBy(f => f.Embedding.ModelId)
                .SelectMany(model => MislabelCheck.Check([.. model])).Select(s => (Person: p, Suspect: s))).ToList();
            if (r.GetValue(checkJson))
            {
                JsonOutput.Print(new
                {
                    persons = persons.Count,
                    suspectFaces = suspects.Select(x => new
                    {
                        personId = x.Person.Id,
                        name = x.Person.Name,
                        faceId = x.Suspect.FaceId,
                        distance = Math.Round(x.Suspect.Distance, 4),
                        confidence = Math.Round(x.Suspect.Confidence, 4),
                        reason = x.Suspect.Reason,
                    }),
                });
                return ExitCodes.Ok;
            }
            Console.WriteLine($"{persons.Count} person(s) checked in {gallery.Location}: {suspects.Count} face(s) probably of someone else");
            foreach (var (person, suspect) in suspects)
                Console.WriteLine($"  {person.Name}: face {suspect.FaceId}, {suspect.Reason} (confidence it is theirs {suspect.Confidence:0.00})");
            return ExitCodes.Ok;
        }));

        command.Add(list);
        command.Add(delete);
        command.Add(rename);
        command.Add(check);
        return command;
    }

    private static Person Find(IGalleryStore gallery, string name) =>
        gallery.FindPerson(name) ?? throw new CliException(ExitCodes.PersonNotFound, $"no person named '{name}' in the gallery");

    private static List<Person> AllPersons(IGalleryStore gallery)
    {
        var all = new List<Person>();
        for (var offset = 0; ; offset += 500)
        {
            var page = gallery.ListPersons(offset, 500);
            all.AddRange(page);
            if (page.Count < 500) return all;
        }
    }
}
