using System.Numerics.Tensors;
using Visage.Embedding;
using Visage.Faces;

namespace Visage.Tests.Embedding;

public sealed class ProjectionHeadTests : IDisposable
{
    private const int D = FaceEmbedding.Dimensions;
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("visage-head-");

    public void Dispose() => _dir.Delete(recursive: true);

    /// <summary>A seeded random head 128 -> 16 -> 128.</summary>
    internal static ProjectionHead RandomHead(string baseModel, bool residual, int seed = 3)
    {
        var rng = new Random(seed);
        return new ProjectionHead(baseModel,
        [
            new DenseLayer(D, 16, Vectors.Random(rng, D * 16), Vectors.Random(rng, 16), relu: true),
            new DenseLayer(16, D, Vectors.Random(rng, 16 * D), Vectors.Random(rng, D), relu: false),
        ], residual, threshold: 0.9f, new Dictionary<string, string> { ["seed"] = seed.ToString() });
    }

    /// <summary>The head written out the slow way.</summary>
    private static float[] Naive(ProjectionHead head, float[] input)
    {
        var x = input;
        foreach (var layer in head.Layers)
        {
            var y = new float[layer.Outputs];
            for (var o = 0; o < layer.Outputs; o++)
            {
                double sum = layer.Bias[o];
                for (var i = 0; i < layer.Inputs; i++) sum += layer.Weights[o * layer.Inputs + i] * x[i];
                y[o] = layer.Relu ? (float)Math.Max(0, sum) : (float)sum;
            }
            x = y;
        }
        if (head.Residual) x = x.Select((v, i) => v + input[i]).ToArray();
        var norm = Math.Sqrt(x.Sum(v => (double)v * v));
        return x.Select(v => (float)(v / norm)).ToArray();
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Apply_matches_the_naive_loops_and_gives_unit_vectors(bool residual)
    {
        var head = RandomHead("base", residual);
        var input = Vectors.Random(new Random(5));
        var output = new float[D];

        head.Apply(input, output);

        var expected = Naive(head, input);
        for (var i = 0; i < D; i++) Assert.Equal(expected[i], output[i], 4);
        Assert.Equal(1f, TensorPrimitives.Norm(output), 5);
    }

    [Fact]
    public void A_residual_head_with_a_zero_last_layer_is_the_normalized_input()
    {
        var head = new ProjectionHead("base",
        [
            new DenseLayer(D, 8, Vectors.Random(new Random(1), D * 8), new float[8], relu: true),
            new DenseLayer(8, D, new float[8 * D], new float[D], relu: false),
        ], residual: true);
        var input = Vectors.Random(new Random(2));
        var output = new float[D];

        head.Apply(input, output);

        var norm = TensorPrimitives.Norm(input);
        for (var i = 0; i < D; i++) Assert.Equal(input[i] / norm, output[i], 6);
    }

    [Fact]
    public void The_model_id_names_the_base_and_the_weights()
    {
        var a = RandomHead("face_recognition_model@1.7.15/dlib+flip", residual: true, seed: 1);
        var b = RandomHead("face_recognition_model@1.7.15/dlib+flip", residual: true, seed: 2);

        Assert.StartsWith("face_recognition_model@1.7.15/dlib+flip+head.", a.ModelId);
        Assert.Equal(12, a.Id.Length);
        Assert.NotEqual(a.ModelId, b.ModelId);
        Assert.Equal(a.ModelId, RandomHead("face_recognition_model@1.7.15/dlib+flip", residual: true, seed: 1).ModelId);
    }

    [Fact]
    public void Project_refuses_descriptors_of_another_space()
    {
        var head = RandomHead("base", residual: false);

        Assert.Throws<ArgumentException>(() => head.Project(Vectors.Embed(Vectors.At(1, 0), "other")));
        Assert.Equal(head.ModelId, head.Project(Vectors.Embed(Vectors.At(1, 0), "base")).ModelId);
    }

    [Fact]
    public void File_round_trip_keeps_id_threshold_metadata_and_outputs()
    {
        var head = RandomHead("base", residual: true);
        var path = Path.Combine(_dir.FullName, "head.json");

        ProjectionHeadFile.Save(head, path);
        var loaded = ProjectionHeadFile.Load(path);

        Assert.Equal(head.Id, loaded.Id);
        Assert.Equal(0.9f, loaded.Threshold);
        Assert.Equal("3", loaded.Metadata["seed"]);
        var input = Vectors.Random(new Random(9));
        float[] a = new float[D], b = new float[D];
        head.Apply(input, a);
        loaded.Apply(input, b);
        Assert.Equal(a, b);
    }

    [Fact]
    public void Edited_weights_and_other_files_are_refused()
    {
        var path = Path.Combine(_dir.FullName, "head.json");
        ProjectionHeadFile.Save(RandomHead("base", residual: true), path);
        var text = File.ReadAllText(path);
        var id = RandomHead("base", residual: true).Id;
        File.WriteAllText(path, text.Replace(id, "000000000000"));
        Assert.Throws<InvalidDataException>(() => ProjectionHeadFile.Load(path));

        File.WriteAllText(path, """{"format":"something-else"}""");
        Assert.Throws<InvalidDataException>(() => ProjectionHeadFile.Load(path));
        File.WriteAllText(path, "not json");
        Assert.Throws<InvalidDataException>(() => ProjectionHeadFile.Load(path));
        Assert.Throws<FileNotFoundException>(() => ProjectionHeadFile.Load(Path.Combine(_dir.FullName, "missing.json")));
    }

    [Fact]
    public void Layers_that_do_not_chain_are_refused() =>
        Assert.Throws<ArgumentException>(() => new ProjectionHead("base", [new DenseLayer(D, 8, new float[D * 8], new float[8], true)], residual: false));
}
