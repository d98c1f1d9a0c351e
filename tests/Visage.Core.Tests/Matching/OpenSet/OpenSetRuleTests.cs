using System.Numerics.Tensors;
using Visage.Matching.OpenSet;

namespace Visage.Tests.Matching.OpenSet;

public sealed class OpenSetRuleTests
{
    private static readonly GalleryStatistics TenPersons = new(10, 20, double.NaN, double.NaN);

    [Fact]
    public void Strangers_named_stay_near_the_target_as_the_gallery_grows_where_a_fixed_threshold_does_not()
    {
        var population = new SyntheticPopulation(seed: 11);
        var model = OpenSetCalibration.Fit(population.Labeled(persons: 60, faces: 4, firstId: 10_000), "test");
        const double target = 0.05;
        var rule = new OpenSetRule(model, new OpenSetOptions { TargetFalseAcceptRate = target });
        // A gallery's share depends on who is in it (a person near the middle of the space draws more strangers), so
        // each size is measured over several galleries.
        var ruleRates = new List<double>();
        var fixedRates = new List<double>();
        float? fixedThreshold = null;
        foreach (var persons in new[] { 5, 20, 80 })
        {
            int strangers = 0, ruleNamed = 0, fixedNamed = 0;
            for (var g = 0; g < 8; g++)
            {
                var gallery = Gallery(population.Labeled(persons, faces: 2));
                var first = population.Face(population.Person());
                fixedThreshold ??= rule.Decide(gallery.Candidates(first), gallery.Statistics).Bar; // right for 5 persons
                var expert = new OpenSetRule(model, new OpenSetOptions { Threshold = fixedThreshold });
                for (var s = 0; s < 400; s++)
                {
                    var candidates = gallery.Candidates(population.Face(population.Person()));
                    strangers++;
                    if (rule.Decide(candidates, gallery.Statistics).IsKnown) ruleNamed++;
                    if (expert.Decide(candidates, gallery.Statistics).IsKnown) fixedNamed++;
                }
            }
            ruleRates.Add(ruleNamed / (double)strangers);
            fixedRates.Add(fixedNamed / (double)strangers);
        }

        Assert.All(ruleRates, r => Assert.InRange(r, target / 3, target * 1.6));
        Assert.True(fixedRates[2] > 3 * fixedRates[0], $"a fixed threshold: {string.Join(", ", fixedRates)} strangers named for 5, 20, 80 persons");
    }

    [Fact]
    public void A_face_just_over_the_bar_is_unknown_because_no_enrolled_face_is_close_enough()
    {
        var rule = new OpenSetRule();
        var bar = rule.Decide([Candidate(1, 0.3f)], TenPersons).Bar;

        var over = rule.Decide([Candidate(1, bar * 1.01f)], TenPersons);
        var under = rule.Decide([Candidate(1, bar * 0.99f)], TenPersons);

        Assert.Null(over.PersonId);
        Assert.Equal(OpenSetReason.NoEnrolledFaceCloseEnough, over.Reason);
        Assert.Equal("no enrolled face close enough", over.Explanation);
        Assert.Equal(1, under.PersonId);
        Assert.Equal(OpenSetReason.Named, under.Reason);
        // The bar belongs to the gallery: more persons, more chances for a stranger, a lower bar.
        Assert.True(rule.Decide([Candidate(1, 0.3f)], TenPersons with { PersonCount = 1000 }).Bar < bar);
    }

    [Fact]
    public void Two_people_equally_close_are_too_close_to_tell_and_a_clear_lead_is_named()
    {
        var rule = new OpenSetRule();

        var tie = rule.Decide([Candidate(1, 0.30f), Candidate(2, 0.30f)], TenPersons);
        var lead = rule.Decide([Candidate(1, 0.25f), Candidate(2, 0.45f)], TenPersons);

        Assert.Null(tie.PersonId);
        Assert.Equal(OpenSetReason.TwoPeopleTooCloseToTell, tie.Reason);
        Assert.Equal("two people too close to tell", tie.Explanation);
        Assert.True(tie.Confidence < 0.1, $"'unknown' between two close persons is unlikely to be right: {tie.Confidence}");
        Assert.Equal(1, lead.PersonId);
    }

    [Fact]
    public void Confidence_falls_with_distance_and_stays_in_the_unit_interval()
    {
        var rule = new OpenSetRule(options: new OpenSetOptions { Candidates = 2 });
        double previousCandidate = 1, previousStranger = 0;
        for (var d = 0.05f; d < 1.5f; d += 0.01f)
        {
            var decision = rule.Decide([Candidate(1, d), Candidate(2, 0.9f)], TenPersons);
            var candidate = decision.Candidates.Single(c => c.PersonId == 1).Confidence;
            Assert.InRange(decision.Confidence, 0, 1);
            Assert.InRange(candidate, 0, 1);
            Assert.True(candidate <= previousCandidate + 1e-12, $"confidence rose at distance {d}: {previousCandidate} -> {candidate}");
            Assert.True(decision.StrangerProbability >= previousStranger - 1e-12, $"stranger probability fell at distance {d}");
            (previousCandidate, previousStranger) = (candidate, decision.StrangerProbability);
        }
        Assert.True(rule.Decide([Candidate(1, 0.25f)], TenPersons).Confidence > 0.9);
        Assert.True(rule.Decide([Candidate(1, 1.0f)], TenPersons).Confidence > 0.99);
    }

    [Fact]
    public void Several_descriptors_of_one_face_are_averaged_and_decided_once_naming_more_without_naming_more_strangers()
    {
        var population = new SyntheticPopulation(seed: 21);
        var model = OpenSetCalibration.Fit(population.Labeled(persons: 60, faces: 4, firstId: 10_000), "test");
        var rule = new OpenSetRule(model, new OpenSetOptions { TargetFalseAcceptRate = 0.001 });
        var enrolled = population.Labeled(persons: 200, faces: 1);
        var gallery = Gallery(enrolled);
        // Frames of one face: the photo's own offset plus noise per frame, sized so that a single frame's expected
        // squared distance to the enrolled face sits at 85% of the bar's square: one frame often lands over the bar.
        var bar = rule.Decide([gallery.Summary.Candidate(0, 0.3f)], gallery.Statistics).Bar;
        var frameVariance = 0.85 * bar * bar - 0.02;
        Assert.True(frameVariance > 0.02, $"bar {bar} leaves no room for frame noise");
        var photoNoise = new SyntheticPopulation(seed: 22, withinVariance: 0.02);
        var frameNoise = new SyntheticPopulation(seed: 23, withinVariance: frameVariance);
        List<float[]> Frames(float[] around, int count)
        {
            var photo = photoNoise.Face(around);
            return [.. Enumerable.Range(0, count).Select(_ => frameNoise.Face(photo))];
        }
        OpenSetDecision Decide(List<float[]> frames) => rule.Decide(gallery.Candidates(ProbeDescriptors.Average(frames)), gallery.Statistics);

        int named1 = 0, named5 = 0, strangers1 = 0, strangers5 = 0;
        for (var i = 0; i < 300; i++)
        {
            var person = i % enrolled.Count;
            if (Decide(Frames(enrolled[person].Vector, 1)).PersonId == person) named1++;
            if (Decide(Frames(enrolled[person].Vector, 5)).PersonId == person) named5++;
            var stranger = population.Face(population.Person());
            if (Decide(Frames(stranger, 1)).IsKnown) strangers1++;
            if (Decide(Frames(stranger, 5)).IsKnown) strangers5++;
        }
        Assert.True(named5 > named1 + 10, $"named with 1 frame {named1} of 300, with 5 frames {named5}");
        Assert.True(strangers5 <= strangers1 + 3, $"strangers named with 1 frame {strangers1}, with 5 frames {strangers5}");
    }

    [Fact]
    public void The_average_of_descriptors_is_their_mean()
    {
        float[] a = [1, 2, 3], b = [3, 4, 5];
        Assert.Equal([2f, 3f, 4f], ProbeDescriptors.Average([a, b]));
        Assert.Throws<ArgumentException>(() => ProbeDescriptors.Average([a, [1f, 2f]]));
        Assert.Throws<ArgumentException>(() => ProbeDescriptors.Average([]));
    }

    [Fact]
    public void A_crowded_gallery_makes_the_rule_stricter_and_a_roomy_one_does_not_loosen_it()
    {
        var rule = new OpenSetRule();
        var model = OpenSetModel.Default;
        float BarFor(double meanSquared) => rule.Decide([Candidate(1, 0.3f)], new GalleryStatistics(20, 40, meanSquared, 0.5)).Bar;
        var neutral = model.StrangerMeanSquaredDistance + model.WithinVariance * 0.5;

        Assert.True(BarFor(neutral - 0.15) < BarFor(neutral) - 0.01);
        Assert.Equal(BarFor(neutral), BarFor(neutral + 0.15));
        Assert.Equal(rule.Decide([Candidate(1, 0.3f)], new GalleryStatistics(20, 40, double.NaN, double.NaN)).Bar, BarFor(neutral + 0.15));
    }

    [Fact]
    public void Strictness_and_an_expert_threshold_set_the_bar()
    {
        var balanced = new OpenSetRule().Decide([Candidate(1, 0.3f)], TenPersons).Bar;
        var strict = new OpenSetRule(options: OpenSetOptions.For(Strictness.Strict)).Decide([Candidate(1, 0.3f)], TenPersons).Bar;
        var lenient = new OpenSetRule(options: OpenSetOptions.For(Strictness.Lenient)).Decide([Candidate(1, 0.3f)], TenPersons).Bar;
        Assert.True(strict < balanced && balanced < lenient, $"{strict} < {balanced} < {lenient}");

        var expert = new OpenSetRule(options: new OpenSetOptions { Threshold = 0.5f });
        Assert.Equal(1, expert.Decide([Candidate(1, 0.49f)], TenPersons with { PersonCount = 100_000 }).PersonId);
        Assert.Null(expert.Decide([Candidate(1, 0.51f)], TenPersons).PersonId);
        Assert.Equal(0.5f, expert.Decide([Candidate(1, 0.51f)], TenPersons).Bar);

        Assert.Throws<ArgumentOutOfRangeException>(() => new OpenSetRule(options: new OpenSetOptions { TargetFalseAcceptRate = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new OpenSetRule(options: new OpenSetOptions { Threshold = float.NaN }));
    }

    [Fact]
    public void Nobody_enrolled_is_a_sure_unknown()
    {
        var decision = new OpenSetRule().Decide([], new GalleryStatistics(0, 0, double.NaN, double.NaN));
        Assert.Equal((OpenSetReason.NoOneEnrolled, 1.0), (decision.Reason, decision.Confidence));
        Assert.Empty(decision.Candidates);
    }

    private static PersonCandidate Candidate(long person, float distance) => new(person, distance, FaceCount: 2, Spread: 0.04f);

    private static SyntheticGallery Gallery(List<(long PersonId, float[] Vector)> faces) => new(GallerySummary.Of(faces));

    /// <summary>A gallery searched exhaustively by centroid, as the index will.</summary>
    private sealed class SyntheticGallery(GallerySummary summary)
    {
        private readonly (long Id, float[] Centroid)[] _centroids = Centroids(summary);

        public GallerySummary Summary => summary;

        public GalleryStatistics Statistics { get; } = summary.Statistics;

        public PersonCandidate[] Candidates(float[] probe) =>
            [.. _centroids.Select(c => summary.Candidate(c.Id, TensorPrimitives.Distance(probe, c.Centroid)))];

        private static (long, float[])[] Centroids(GallerySummary summary)
        {
            var result = new List<(long, float[])>();
            for (long id = 0; result.Count < summary.PersonCount; id++)
            {
                var c = new float[summary.Dimensions];
                if (summary.CentroidOf(id, c)) result.Add((id, c));
            }
            return [.. result];
        }
    }
}
