using Visage.Embedding;
using Visage.Models;
using Visage.Pipeline;

namespace Visage.Tests.Models;

/// <summary>The multiply-adds counted from Visage's ONNX graphs equal face-api.js's (FACEAPI-FACTS appendix A, tf.profile).</summary>
[Collection(ModelsCollection.Name)]
public sealed class NetCostTests(ModelsFixture models)
{
    [Theory]
    [InlineData("ssd_mobilenetv1_model", 512, 3143.0, 47)]
    [InlineData("tiny_face_detector_model", 416, 198.8, 12)]
    [InlineData("face_landmark_68_model", 112, 51.6, 32)]
    [InlineData("face_landmark_68_tiny_model", 112, 28.7, 18)]
    [InlineData("face_recognition_model", 150, 270.9, 30)]
    public void Graph_multiply_adds_match_appendix_A(string net, int size, double expectedMillions, int expectedLayers)
    {
        var model = models.Repository.LoadOrConvert(VisageModels.Registry.Models.Single(m => m.Name == net && m.Variant == ModelVariant.Fp32));

        var layers = NetCost.Count(model, [1, 3, size, size]);

        Assert.Equal(expectedMillions, layers.Sum(l => l.MultiplyAdds) / 1e6, 0.05);
        Assert.Equal(expectedLayers, layers.Count);
    }

    [Theory]
    [InlineData("ssd_mobilenetv1_model", 512)]
    [InlineData("face_recognition_model", 150)]
    public void An_int8_graph_counts_the_same_arithmetic_as_its_fp32_one(string net, int size)
    {
        long Count(ModelVariant variant) =>
            NetCost.MultiplyAdds(models.Repository.LoadOrConvert(VisageModels.Registry.Models.Single(m => m.Name == net && m.Variant == variant)), [1, 3, size, size]);

        Assert.Equal(Count(ModelVariant.Fp32), Count(ModelVariant.Int8));
    }

    [Fact]
    public void Recognition_stem_is_7x7_stride_2_valid()
    {
        var model = models.Repository.LoadOrConvert(FaceRecognitionNet.Fp32);

        var stem = NetCost.Count(model, [1, 3, 150, 150])[0];

        Assert.Equal([1L, 32, 72, 72], stem.OutputShape);
        Assert.Equal(24_385_536, stem.MultiplyAdds); // 72 * 72 * 32 * 7 * 7 * 3
    }
}
