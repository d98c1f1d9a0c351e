using Visage.Alignment;
using Visage.Embedding;
using Visage.Gallery;
using Visage.Imaging;
using Visage.Models;
using Visage.Pipeline;

namespace Visage.Tests.Embedding;

/// <summary>
/// The int8 recognition net against the fp32 one on face-api.js's 22 parity chips. Tolerance: a Euclidean distance of
/// 0.06 between the two descriptors of a chip, an eighth of the recognize threshold (0.48). Measured on Zen 5 (AVX-512
/// VNNI kernels), with the residual sums in fp32 (QDQ v4): 0.029-0.047, median 0.038; largest single value 0.014
/// (docs/BENCHMARKS.md "int8 networks").
/// </summary>
[Collection(ModelsCollection.Name)]
public sealed class Int8DescriptorTests(ModelsFixture models) : IDisposable
{
    private const double Tolerance = 0.06;
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("visage-int8-");

    public void Dispose() => _dir.Delete(recursive: true);

    [Fact]
    public void Every_parity_chip_gives_an_int8_descriptor_within_the_tolerance_of_fp32()
    {
        var (chips, sources) = ParityChips.Load();

        var fp32 = new FaceRecognitionNet(models.Repository, FaceRecognitionNet.Fp32).Describe(sources);
        var int8 = new FaceRecognitionNet(models.Repository, FaceRecognitionNet.Int8).Describe(sources);

        Assert.Equal(22, chips.Count);
        for (var i = 0; i < chips.Count; i++)
        {
            var distance = Math.Sqrt(fp32[i].Zip(int8[i], (a, b) => (double)(a - b) * (a - b)).Sum());
            Assert.True(distance <= Tolerance, $"{chips[i].GetProperty("file")}: int8 is {distance:0.0000} from fp32");
            Assert.NotEqual(fp32[i], int8[i]); // it is really another network
        }
    }

    [Fact]
    public void The_int8_graph_runs_its_convolutions_on_integer_kernels()
    {
        var graph = Onnx.ModelProto.Parser.ParseFrom(models.Repository.LoadOrConvert(FaceRecognitionNet.Int8));
        var weights = graph.Graph.Initializer.Where(t => t.DataType == (int)Onnx.TensorProto.Types.DataType.Int8 && t.Dims.Count == 4).ToList();
        Assert.Equal(29, weights.Count); // every convolution of the ResNet: none is depthwise or an output layer
        Assert.All(graph.Graph.Node.Where(n => n.OpType == "Conv"), conv => Assert.EndsWith("/dq", conv.Input[1]));
    }

    [Fact]
    public void An_int8_gallery_says_so_to_an_fp32_pipeline_and_offers_reembed()
    {
        using var int8 = new FaceAnalyzer(new FaceAnalyzerOptions { Embedding = new EmbeddingOptions { Precision = ModelVariant.Int8 } }, models.Repository);
        using var fp32 = new FaceAnalyzer(new FaceAnalyzerOptions(), models.Repository);
        Assert.Equal(fp32.ModelId.Replace("@1.7.15/", "@1.7.15+int8/"), int8.ModelId);

        var photo = new ImageDecoder().DecodeFile(TestImages.Sample1);
        var db = Path.Combine(_dir.FullName, "gallery.db");
        using (var gallery = FaceGallery.Open(db, int8.ModelId))
            gallery.Enroll(gallery.CreatePerson("Ann").Id, new string('a', 64), int8.Analyze(photo).Faces[0]);

        using var other = FaceGallery.Open(db, fp32.ModelId);
        Assert.Equal(0, other.Index.Count);
        Assert.Contains("gallery reembed", other.Count().OtherModelsWarning(fp32.ModelId));
    }
}
