using System.Security.Cryptography;
using System.Text.Json;
using Visage.Gallery;
using Visage.Imaging;
using Visage.Pipeline;
using Visage.Tests;

namespace Visage.Cli.Tests;

/// <summary>
/// <c>cluster</c>, <c>train-head</c>, <c>embed --head</c> and <c>gallery reembed</c> through the real executable, on
/// copies of a few dev photos (their analyses come from the shared cache after the first run).
/// </summary>
public sealed class TrainingAndClusteringTests : IDisposable
{
    private static readonly string[] People = ["Pierre_Pettigrew", "Rick_Barnes", "Thomas_Rupprath"];
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("visage-cli-training-");

    public TrainingAndClusteringTests()
    {
        foreach (var person in People)
        {
            Directory.CreateDirectory(Path.Combine(Photos, person));
            for (var i = 1; i <= 3; i++)
            {
                var name = $"{person}_{i:0000}.jpg";
                File.Copy(Path.Combine(TestData.Faces, person, name), Path.Combine(Photos, person, name));
            }
        }
    }

    private string Photos => Path.Combine(_dir.FullName, "photos");

    private string Temp(string name) => Path.Combine(_dir.FullName, name);

    public void Dispose() => _dir.Delete(recursive: true);

    [Fact]
    public void Cluster_groups_three_people_writes_chip_folders_and_scores_against_the_folders()
    {
        File.WriteAllText(Path.Combine(Photos, "notes.jpg"), "not a photo");
        var outDir = Temp("clusters");

        var result = VisageProcess.Run("cluster", Photos, "--out", outDir, "--truth-from-folders", "--json");

        Assert.True(result.ExitCode == 0, result.ToString());
        var json = result.Json;
        Assert.Equal(3, json.GetProperty("clusters").GetArrayLength());
        Assert.Equal(1.0, json.GetProperty("score").GetProperty("pairwiseF1").GetDouble());
        Assert.Equal(1.0, json.GetProperty("score").GetProperty("bCubedF1").GetDouble());
        Assert.Single(json.GetProperty("failed").EnumerateArray());
        Assert.Contains("skipped", result.Stderr);
        var first = json.GetProperty("clusters")[0];
        Assert.Equal("cluster-01", first.GetProperty("name").GetString());
        var chip = first.GetProperty("faces")[0].GetProperty("chip").GetString()!;
        Assert.Equal(Path.Combine(outDir, "cluster-01"), Path.GetDirectoryName(chip));
        Assert.Matches(@"^(Pierre_Pettigrew|Rick_Barnes|Thomas_Rupprath)_000[1-3]\.jpg$", Path.GetFileName(chip));
        var image = new ImageDecoder().DecodeFile(chip);
        Assert.Equal((150, 150), (image.Width, image.Height));
        Assert.Equal(9, Directory.EnumerateFiles(outDir, "*.jpg", SearchOption.AllDirectories).Count());
    }

    [Fact]
    public void Cluster_is_deterministic_and_refuses_a_non_empty_output_folder()
    {
        var a = VisageProcess.Run("cluster", Photos, "--json", "--seed", "3");
        var b = VisageProcess.Run("cluster", Photos, "--json", "--seed", "3");
        Directory.CreateDirectory(Temp("full"));
        File.WriteAllText(Path.Combine(Temp("full"), "keep.txt"), "");

        var refused = VisageProcess.Run("cluster", Photos, "--out", Temp("full"));

        Assert.Equal(a.Stdout, b.Stdout);
        Assert.Equal(ExitCodes.Usage, refused.ExitCode);
        Assert.StartsWith("visage: error: ", refused.Stderr);
    }

    [Fact]
    public void Train_head_writes_a_head_that_embed_and_gallery_reembed_use()
    {
        var head = Temp("head.json");

        var trained = VisageProcess.Run("train-head", Photos, "--out", head, "--validation", "0", "--epochs", "5", "--json");
        var embedded = VisageProcess.Run("embed", Path.Combine(Photos, "Rick_Barnes", "Rick_Barnes_0001.jpg"), "--head", head, "--json");

        Assert.True(trained.ExitCode == 0, trained.ToString());
        var modelId = trained.Json.GetProperty("modelId").GetString()!;
        Assert.StartsWith("face_recognition_model@1.7.15/dlib+flip+head.", modelId);
        Assert.Equal(5, trained.Json.GetProperty("epochs").GetInt32());
        Assert.Equal(modelId, embedded.Json.GetProperty("modelId").GetString());

        // A gallery of plain descriptors takes the head without the photos, and a new pipeline from the photos.
        var db = Temp("gallery.db");
        EnrollPlain(db);
        var withHead = VisageProcess.Run("gallery", "reembed", "--db", db, "--head", head, "--json");
        var noFlip = VisageProcess.Run("gallery", "reembed", "--db", db, "--no-flip", "--photos", Photos, "--prune", "--json");
        var noPhotos = VisageProcess.Run("gallery", "reembed", "--db", db, "--align", "faceapi", "--json");

        Assert.True(withHead.ExitCode == 0, withHead.ToString());
        Assert.Equal(3, withHead.Json.GetProperty("fromVectors").GetInt32());
        Assert.Equal(modelId, withHead.Json.GetProperty("targetModelId").GetString());
        Assert.True(noFlip.ExitCode == 0, noFlip.ToString());
        Assert.Equal(3, noFlip.Json.GetProperty("fromPhotos").GetInt32());
        Assert.Equal(6, noFlip.Json.GetProperty("pruned").GetInt32()); // the plain and the head vectors of 3 images
        Assert.Equal(ExitCodes.Failure, noPhotos.ExitCode); // nothing to re-embed from: reported, not silent
        Assert.Equal(3, noPhotos.Json.GetProperty("missing").GetArrayLength());
    }

    [Fact]
    public void A_damaged_head_file_or_one_of_another_pipeline_is_a_usage_error()
    {
        var head = Temp("broken.json");
        File.WriteAllText(head, "{}");

        var result = VisageProcess.Run("embed", Path.Combine(Photos, "Rick_Barnes", "Rick_Barnes_0001.jpg"), "--head", head);

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Single(result.Stderr.Trim().Split('\n'));
    }

    [Fact]
    public void Train_head_folds_compare_the_head_with_plain_descriptors_on_unseen_people()
    {
        var result = VisageProcess.Run("train-head", TestData.Faces, "--folds", "4", "--json");

        Assert.True(result.ExitCode == 0, result.ToString());
        var folds = result.Json.GetProperty("folds");
        Assert.Equal(4, folds.GetArrayLength());
        var mean = result.Json.GetProperty("mean");
        foreach (var kind in new[] { "plain", "head" })
            Assert.InRange(mean.GetProperty(kind).GetProperty("pairAccuracy").GetDouble(), 0.5, 1.0);
    }

    /// <summary>Enrolls the first photo of each person with plain descriptors, in-process.</summary>
    private void EnrollPlain(string db)
    {
        using var analyzer = new FaceAnalyzer();
        using var gallery = FaceGallery.Open(db, analyzer.ModelId);
        foreach (var person in People)
        {
            var photo = Path.Combine(Photos, person, $"{person}_0001.jpg");
            var face = new FaceAnalysisCache(FaceAnalysisCache.DefaultDirectory).Analyze(analyzer, new ImageDecoder(), photo).Subject()!;
            gallery.Enroll(gallery.GetOrCreatePerson(person).Id, Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(photo))), face);
        }
    }
}
