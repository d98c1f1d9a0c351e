using System.CommandLine;
using Visage.Cli;
using Visage.Enrollment;
using Visage.Gallery.Storage;
using Visage.Gallery;
using Visage.Imaging;
using Visage.Pipeline;

namespace Visage.Commands;

/// <summary>
/// <c>visage enroll DIR</c> (one sub-folder per person, the folder name is the name) or
/// <c>visage enroll --name NAME IMG...</c>: add faces to the gallery. A photo with no face or with several
/// faces is skipped and reported, never guessed; so is a face below the quality bar (<see cref="EnrollmentQuality"/>)
/// unless <c>--force</c>. Each face is stored with its quality score.
/// </summary>
internal static class EnrollCommand
{
    /// <summary>A photo not enrolled; <see cref="Reason"/> starts with the file name.</summary>
    private sealed record Skip(string File, string Reason, int Code);

    public static Command Create()
    {
        var paths = new Argument<string[]>("paths") { Description = "A folder of per-person folders, or with --name, photos of that person", Arity = ArgumentArity.OneOrMore };
        var name = new Option<string?>("--name") { Description = "Enroll the given photos as this person" };
        var json = new Option<bool>("--json") { Description = "Print JSON" };
        var force = new Option<bool>("--force") { Description = "Enroll faces below the quality bar too (small, blurred, turned away, or unsure detections)" };
        var pipeline = new PipelineOptions();
        var gallery = new GalleryOption();
        var command = new Command("enroll", "Add labeled photos to the gallery") { paths, name, json, force };
        pipeline.AddTo(command);
        gallery.AddTo(command);
        command.SetAction(r => CommandRunner.Run(() =>
        {
            var work = Plan(r.GetValue(paths)!, r.GetValue(name));
            var decoder = pipeline.Decoder(r);
            using var analyzer = new FaceAnalyzer(pipeline.Analyzer(r));
            using var faces = gallery.Open(r, analyzer.ModelId);

            int created = 0, existing = 0;
            var enrolledPersons = new HashSet<string>();
            var skipped = new List<Skip>();
            ProgressBar.Run("enrolling", work.Count, tick =>
            {
                // The next photos are read and decoded on the thread pool while the networks work on this one.
                var decoded = DecodeAhead.Files(work.Select(w => w.File).ToList(), decoder);
                foreach (var ((person, file), photo) in work.Zip(decoded))
                {
                    try
                    {
                        var (image, sha) = ImageFiles.Unwrap(photo);
                        var face = ImageFiles.Subject(analyzer.AnalyzeSubject(image), file, largest: false);
                        var quality = EnrollmentQuality.Require(image, face, r.GetValue(force));
                        var enrollment = faces.Enroll(faces.GetOrCreatePerson(person).Id, sha, face, quality: (float)quality.Score);
                        if (enrollment.Created) created++; else existing++;
                        enrolledPersons.Add(person);
                    }
                    catch (FaceQualityException e)
                    {
                        skipped.Add(new Skip(file, $"{file}: {e.Report.Problem} (enroll it anyway with --force)", ExitCodes.PoorFaceQuality));
                    }
                    catch (Exception e) when (e is not GalleryException && CommandRunner.Classify(e) is { } failure)
                    {
                        skipped.Add(new Skip(file, failure.Message, failure.Code));
                    }
                    tick();
                }
                return 0;
            });

            var persons = enrolledPersons.Count;
            if (r.GetValue(json))
                JsonOutput.Print(new { persons, enrolled = created, alreadyEnrolled = existing, skipped = skipped.Select(s => new { file = s.File, reason = s.Reason }), gallery = faces.Location });
            else
            {
                Console.WriteLine($"{persons} person(s), {created} face(s) enrolled, {existing} already enrolled, {skipped.Count} photo(s) skipped");
                foreach (var s in skipped) Console.WriteLine($"  skipped {s.Reason}");
            }
            // Folder mode reports skips and succeeds; naming photos one by one expects every photo to enroll.
            return r.GetValue(name) is not null && skipped.Count > 0 ? skipped[0].Code : ExitCodes.Ok;
        }));
        return command;
    }

    /// <summary>(person, photo) pairs: from --name and files, or from the sub-folders of one folder.</summary>
    private static List<(string Person, string File)> Plan(string[] paths, string? name)
    {
        if (name is not null) return paths.Select(p => (name, p)).ToList();
        if (paths.Length != 1 || !Directory.Exists(paths[0]))
            throw new CliException(ExitCodes.Usage, "give one folder of per-person folders, or --name NAME with photos");
        var work = Directory.EnumerateDirectories(paths[0]).Order(StringComparer.Ordinal)
            .SelectMany(dir => ImageFiles.InFolder(dir).Select(f => (Path.GetFileName(dir), f)))
            .ToList();
        if (work.Count == 0) throw new CliException(ExitCodes.Usage, $"no photos in sub-folders of {paths[0]}");
        return work;
    }
}
