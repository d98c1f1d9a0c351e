using Visage.Alignment;
using Visage.Embedding;
using Visage.Gallery;
using Visage.Imaging;
using Visage.Models;
using Visage.Pipeline;

namespace Visage.Tests.Models;

/// <summary>
/// A ready ONNX model is added as a second embedder with one class (<see cref="PixelProbeEmbedder"/>) and one registry
/// entry, and the pipeline runs it by name: the chips are cut at its input size, fed through the shared square-input
/// runner with its normalization, and its vectors carry a model id of their own that never mixes with the default's.
/// </summary>
[Collection(ModelsCollection.Name)]
public sealed class SecondEmbedderTests(ModelsFixture models) : IDisposable
{
    private const int Side = 32;
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("visage-embedder-");

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _dir.Delete(recursive: true);
    }

    /// <summary>The whole of the "new embedder": it runs its network through the shared runner.</summary>
    private sealed class PixelProbeEmbedder(ModelRepository repository, ModelDescriptor model) : IFaceEmbedder
    {
        public string Name => "pixel-probe";
        public ModelDescriptor Model => model;
        public float[][] Describe(IReadOnlyList<ChipSource> chips) => repository.Get(model).DescribeChips(model, chips);
    }

    /// <summary>Output k is the normalized value of channel k % 3 at pixel (k * 7 % 32, k * 13 % 32): one 32x32 kernel per output.</summary>
    private static (int Channel, int X, int Y) Probe(int k) => (k % 3, k * 7 % Side, k * 13 % Side);

    private (ModelDescriptor Model, string Path) WriteModel()
    {
        var g = new OnnxGraphBuilder("pixel-probe");
        var x = g.Input("input", -1, 3, Side, Side);
        var weight = new float[128 * 3 * Side * Side];
        for (var k = 0; k < 128; k++)
        {
            var (c, px, py) = Probe(k);
            weight[((k * 3 + c) * Side + py) * Side + px] = 1;
        }
        var conv = g.Conv(x, new ConvWeights(weight, [128, 3, Side, Side], new float[128]), 1, Padding.Valid, "probe");
        g.Output(g.Rename(g.Flatten(conv), "descriptor"), -1, 128);
        var bytes = Google.Protobuf.MessageExtensions.ToByteArray(g.Build("a test embedder"));
        var path = System.IO.Path.Combine(_dir.FullName, "pixel-probe.onnx");
        File.WriteAllBytes(path, bytes);
        var sha = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes));
        var input = new InputFormat(Side, SquarePadding.Centered, new PixelNormalization(127.5f, 127.5f, 127.5f, 127.5f), ColorOrder.Bgr);
        return (new ModelDescriptor("pixel-probe", "1", new OnnxFileSource(path, sha), input), path);
    }

    [Fact]
    public void A_registered_onnx_embedder_is_run_by_name_with_its_own_model_id()
    {
        var (model, _) = WriteModel();
        var registry = VisageModels.Registry.Add<IFaceEmbedder>("pixel-probe", model, (m, d) => new PixelProbeEmbedder(m, d));
        var options = new FaceAnalyzerOptions { Embedding = new EmbeddingOptions { Embedder = "pixel-probe", FlipAverage = false } };
        using var probe = new FaceAnalyzer(options, models.Repository, registry);
        using var plain = new FaceAnalyzer(new FaceAnalyzerOptions(), models.Repository);
        var photo = new ImageDecoder().DecodeFile(TestImages.Sample1);

        var face = probe.Analyze(photo).Faces[0];

        Assert.Equal("pixel-probe@1/dlib", probe.ModelId);
        Assert.Equal(probe.ModelId, face.Embedding!.ModelId);
        Assert.NotEqual(plain.ModelId, probe.ModelId);
        // The chip is cut at the embedder's 32 px and read in its colour order and normalization.
        var chip = probe.Chip(photo, face);
        Assert.Equal((Side, Side), (chip.Width, chip.Height));
        for (var k = 0; k < 128; k++)
        {
            var (c, px, py) = Probe(k);
            var rgb = chip.Pixels[(py * Side + px) * 3 + (2 - c)]; // plane c of a BGR input is RGB channel 2 - c
            Assert.Equal((rgb - 127.5f) / 127.5f, face.Embedding.Vector[k], 1e-5f);
        }
    }

    [Fact]
    public void Its_vectors_never_mix_with_the_default_models_in_a_gallery()
    {
        var (model, _) = WriteModel();
        var registry = VisageModels.Registry.Add<IFaceEmbedder>("pixel-probe", model, (m, d) => new PixelProbeEmbedder(m, d));
        using var probe = new FaceAnalyzer(new FaceAnalyzerOptions { Embedding = new EmbeddingOptions { Embedder = "pixel-probe" } }, models.Repository, registry);
        using var plain = new FaceAnalyzer(new FaceAnalyzerOptions(), models.Repository);
        var photo = new ImageDecoder().DecodeFile(TestImages.Sample1);
        var db = System.IO.Path.Combine(_dir.FullName, "gallery.db");
        using (var gallery = FaceGallery.Open(db, probe.ModelId))
        {
            var ann = gallery.CreatePerson("Ann");
            gallery.Enroll(ann.Id, new string('a', 64), probe.Analyze(photo).Faces[0]);
            Assert.Throws<ArgumentException>(() => gallery.Enroll(ann.Id, new string('b', 64), plain.Analyze(photo).Faces[0]));
        }

        using var other = FaceGallery.Open(db, plain.ModelId);
        Assert.Equal(0, other.Index.Count);
        var counts = other.Count();
        Assert.Equal(1, counts.FacesOfOtherModels);
        Assert.Contains("gallery reembed", counts.OtherModelsWarning(plain.ModelId));
    }

    [Fact]
    public void A_model_file_that_is_not_the_pinned_one_is_refused()
    {
        var (model, path) = WriteModel();
        File.AppendAllText(path, "tampered");
        using var repository = new ModelRepository(models.Store);
        var e = Assert.Throws<ModelUnavailableException>(() => repository.Get(model));
        Assert.Contains("expected", e.Message);
    }

    [Fact]
    public void A_name_not_registered_for_a_stage_is_refused_with_the_known_names()
    {
        var e = Assert.Throws<ArgumentException>(() => new FaceAnalyzer(new FaceAnalyzerOptions { Embedding = new EmbeddingOptions { Embedder = "arcface" } }, models.Repository));
        Assert.Contains("face_recognition_model", e.Message);
        Assert.Contains("ssd", Assert.Throws<ArgumentException>(() => VisageModels.Registry.Create<IFaceEmbedder>("ssd", models.Repository)).Message);
    }
}
