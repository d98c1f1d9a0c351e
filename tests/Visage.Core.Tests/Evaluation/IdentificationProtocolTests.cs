using Visage.Evaluation;
using Visage.Matching;

namespace Visage.Tests.Evaluation;

public sealed class IdentificationProtocolTests
{
    private static readonly FaceDataset Faces = FaceDataset.Load(TestData.Faces);

    [Fact]
    public void Split_leaves_a_quarter_of_persons_out_and_halves_the_others()
    {
        var split = IdentificationProtocol.Split(Faces, 0.25, seed: 1);
        Assert.Equal(12, split.Strangers.Count);   // round(47 / 4)
        var strangerPhotos = split.Strangers.Sum(p => Faces.Persons[p].Photos.Count);
        Assert.Equal(strangerPhotos, split.StrangerProbes.Count);
        Assert.Equal(Faces.Photos.Count, split.Gallery.Count + split.KnownProbes.Count + split.StrangerProbes.Count);
        Assert.Equal(Faces.Photos.Count, split.Gallery.Concat(split.KnownProbes).Concat(split.StrangerProbes).Distinct().Count());
        Assert.All(split.Gallery, g => Assert.DoesNotContain(Faces.Photos[g].Person, split.Strangers));
        var again = IdentificationProtocol.Split(Faces, 0.25, seed: 1);
        Assert.Equal(split.Gallery, again.Gallery);
        Assert.Equal(split.Strangers, again.Strangers);
    }

    [Fact]
    public void Perfect_embeddings_identify_everyone_and_reject_every_stranger()
    {
        // Each person a distinct direction: distance 0 to themselves, sqrt(2) to anyone else.
        var embeddings = Faces.Photos.Select(p => OneHot(p.Person)).ToArray();
        var split = IdentificationProtocol.Split(Faces, 0.25, seed: 1);
        var r = IdentificationProtocol.Evaluate(Faces, split, embeddings, DistanceMetric.Euclidean, 0.6f);
        Assert.Equal(1.0, r.Rank1);
        Assert.Equal(1.0, r.Rank5);
        Assert.All(r.Modes, m => Assert.Equal((1.0, 1.0), (m.CorrectIdentificationRate, m.StrangerRejectionRate)));
    }

    [Fact]
    public void Photos_without_a_face_count_against_known_persons_and_for_strangers_in_the_usual_accounting()
    {
        var split = IdentificationProtocol.Split(Faces, 0.25, seed: 1);
        var embeddings = Faces.Photos.Select(p => (float[]?)OneHot(p.Person)).ToArray();
        var known = split.KnownProbes[0];
        var stranger = split.StrangerProbes[0];
        embeddings[known] = null;
        embeddings[stranger] = null;
        var r = IdentificationProtocol.Evaluate(Faces, split, embeddings, DistanceMetric.Euclidean, 0.6f);
        Assert.Equal(2, r.ProbesWithoutFace);
        Assert.Equal(1 - 1.0 / split.KnownProbes.Count, r.Rank1, 12);
        var nearest = r.Modes.Single(m => m.Mode == MatchMode.Nearest);
        Assert.Equal(1.0, nearest.StrangerRejectionRate);
        Assert.Equal(1 - 1.0 / split.StrangerProbes.Count, nearest.StrictStrangerRejectionRate, 12);
    }

    private static float[] OneHot(int person)
    {
        var v = new float[128];
        v[person % 128] = 1;
        return v;
    }
}
