using Visage.Evaluation.OpenSet;
using Visage.Evaluation;
using Visage.Tests.Matching.OpenSet;

namespace Visage.Tests.Evaluation;

public sealed class OpenSetProtocolTests
{
    private static readonly FaceDataset Faces = FaceDataset.Load(TestData.Faces);
    private static readonly int[][] PhotosOf = Faces.Persons.Select(p => p.Photos.ToArray()).ToArray();

    [Fact]
    public void A_round_calibrates_on_persons_it_never_deals_and_strangers_are_never_enrolled()
    {
        var rng = new Random(3);
        var (calibration, heldOut) = OpenSetDealer.Split(Faces.Persons.Count, 24, rng);
        Assert.Empty(calibration.Intersect(heldOut));
        Assert.Equal(Faces.Persons.Count, calibration.Union(heldOut).Count());

        var deal = OpenSetDealer.Deal(PhotosOf, PhotosOf, heldOut, strangers: 5, faces: 2, gallery: 10, rng)!;
        var strangerPersons = deal.StrangerProbes.Select(p => Faces.Photos[p].Person).Distinct().ToList();
        Assert.Equal(5, strangerPersons.Count);
        Assert.Empty(strangerPersons.Intersect(deal.Persons));
        Assert.All(deal.Persons.Concat(strangerPersons), p => Assert.Contains(p, heldOut));
        Assert.Equal(10, deal.Persons.Length);
        for (var i = 0; i < deal.Persons.Length; i++)
        {
            Assert.Equal(2, deal.Enrolled[i].Length);
            Assert.All(deal.Enrolled[i], photo => Assert.Equal(deal.Persons[i], Faces.Photos[photo].Person));
        }
        var enrolledPhotos = deal.Enrolled.SelectMany(e => e).ToList();
        Assert.Empty(enrolledPhotos.Intersect(deal.KnownProbes));
        Assert.Equal(deal.Persons.Sum(p => PhotosOf[p].Length), enrolledPhotos.Count + deal.KnownProbes.Length);
    }

    [Fact]
    public void Half_enrolls_half_of_each_persons_photos_between_one_and_three()
    {
        var deal = OpenSetDealer.Deal(PhotosOf, PhotosOf, [.. Enumerable.Range(0, Faces.Persons.Count)], strangers: 9, OpenSetDealer.Half, OpenSetDealer.All, new Random(4))!;
        Assert.Equal(Faces.Persons.Count - 9, deal.Persons.Length);
        for (var i = 0; i < deal.Persons.Length; i++)
            Assert.Equal(Math.Clamp(PhotosOf[deal.Persons[i]].Length / 2, 1, 3), deal.Enrolled[i].Length);
    }

    [Fact]
    public void Calibration_error_is_the_weighted_gap_between_confidence_and_right_answers()
    {
        // 10 answers at 0.95 of which 5 right (gap 0.45), 10 at 0.15 of which 1 right (gap 0.05): ECE (10·0.45 + 10·0.05) / 20.
        var answers = Enumerable.Range(0, 10).Select(i => (0.95, i < 5)).Concat(Enumerable.Range(0, 10).Select(i => (0.15, i < 1))).ToList();
        var calibration = OpenSetMetrics.Calibration(answers);
        Assert.Equal(0.25, calibration.ExpectedCalibrationError, 9);
        Assert.Equal(10, calibration.Bins[9].Count);
        Assert.Equal(0.5, calibration.Bins[9].Accuracy!.Value, 9);
    }

    [Fact]
    public void The_oracle_threshold_names_what_a_single_threshold_could_at_the_strangers_allowed()
    {
        (double, bool)[] known = [(0.2, true), (0.3, true), (0.35, false), (0.5, true)];
        double[] strangers = [0.32, 0.6, 0.7, 0.8];
        Assert.Equal(0.5, OpenSetMetrics.OracleNamed(known, strangers, 0.0), 9);   // under 0.32: 0.2 and 0.3 right
        Assert.Equal(0.75, OpenSetMetrics.OracleNamed(known, strangers, 0.25), 9); // under 0.6: 0.2, 0.3 and 0.5 right
    }

    [Fact]
    public void Well_separated_persons_are_named_and_shuffled_labels_are_not()
    {
        var population = new SyntheticPopulation(seed: 5);
        var means = Faces.Persons.Select(_ => population.Person()).ToList();
        var embeddings = Faces.Photos.Select(p => (float[]?)population.Face(means[p.Person])).ToArray();
        var settings = new OpenSetSettings { Rounds = 3, DealsPerCell = 3 };

        var report = OpenSetProtocol.Run(Faces, embeddings, null, settings, "test");
        new Random(6).Shuffle(embeddings);
        var shuffled = OpenSetProtocol.Run(Faces, embeddings, null, settings, "test");

        Assert.True(report.Target.Named.Value > 0.95, $"named {report.Target.Named.Value}");
        Assert.True(report.Target.StrangersNamed.Value < 0.03, $"strangers named {report.Target.StrangersNamed.Value}");
        Assert.True(shuffled.Target.Named.Value < 0.2, $"shuffled labels named {shuffled.Target.Named.Value}");
        Assert.Equal(24, report.HeldOutPersons);
        Assert.Equal(5, report.Strangers);
    }
}
