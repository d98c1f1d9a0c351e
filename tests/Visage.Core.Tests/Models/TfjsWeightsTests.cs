using System.Text.Json;
using Visage.Models;

namespace Visage.Tests.Models;

[Collection(ModelsCollection.Name)]
public sealed class TfjsWeightsTests(ModelsFixture models)
{
    [Fact]
    public void Uint8_values_dequantize_as_q_times_scale_plus_min()
    {
        var net = ModelCatalog.Get("face_landmark_68_tiny_model");
        var weights = TfjsWeights.Load(models.Store.ManifestPath(net));
        var spec = JsonDocument.Parse(File.ReadAllBytes(models.Store.ManifestPath(net))).RootElement[0].GetProperty("weights")[0];
        var q = spec.GetProperty("quantization");
        var raw = File.ReadAllBytes(models.Store.WeightsPath(net));

        var first = weights[spec.GetProperty("name").GetString()!];

        for (var i = 0; i < 10; i++)
            Assert.Equal((float)(raw[i] * q.GetProperty("scale").GetDouble() + q.GetProperty("min").GetDouble()), first.Data[i]);
    }

    [Fact]
    public void Recognition_net_keeps_its_float32_filters_and_totals_5_6M_parameters()
    {
        var weights = TfjsWeights.Load(models.Store.ManifestPath(ModelCatalog.Get("face_recognition_model")));
        Assert.Equal(5_614_592, weights.Tensors.Sum(t => t.Data.Length));
        // conv64_down/conv1 is stored unquantized: its values are not on a 256-level grid.
        Assert.True(weights["conv64_down/conv1/conv/filters"].Data.Distinct().Count() > 256);
    }
}
