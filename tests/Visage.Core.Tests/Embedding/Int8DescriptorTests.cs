using Visage.Alignment;
using Visage.Embedding;
using Visage.Gallery;
using Visage.Imaging;
using Visage.Matching;
using Visage.Models;
using Visage.Pipeline;
using Visage.Recognition;

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
    public void A_gallery_the_fp32_net_enrolled_names_the_int8_nets_descriptors_of_the_same_faces()
    {
        using var fp32 = new FaceAnalyzer(new FaceAnalyzerOptions { Embedding = new EmbeddingOptions { Precision = ModelVariant.Fp32 } }, models.Repository);
        using var int8 = new FaceAnalyzer(new FaceAnalyzerOptions(), models.Repository);
        Assert.Equal(fp32.ModelId, int8.ModelId); // one embedding space: a server upgraded to int8 keeps its gallery

        var photo = new ImageDecoder().DecodeFile(TestImages.Sample1);
        var enrolled = fp32.Analyze(photo).Faces;
        var probes = int8.Analyze(photo).Faces;
        Assert.Equal(3, enrolled.Count);
        Assert.Equal(enrolled.Select(f => f.Box), probes.Select(f => f.Box)); // the same detector: only the embedder differs

        using var gallery = FaceGallery.Open(Path.Combine(_dir.FullName, "gallery.db"), fp32.ModelId);
        var persons = enrolled.Select((face, i) =>
        {
            var person = gallery.CreatePerson($"person {i}");
            gallery.Enroll(person.Id, new string((char)('a' + i), 64), face);
            return person.Id;
        }).ToList();
        for (var i = 0; i < probes.Count; i++)
        {
            var match = Recognizer.Identify(gallery, probes[i].Embedding!);
            Assert.True(match.IsKnown, $"face {i}: unknown at {match.Distance:0.000}");
            Assert.Equal(persons[i], match.PersonId);
            Assert.InRange(match.Distance, 1e-4, Tolerance);
        }
    }
}
