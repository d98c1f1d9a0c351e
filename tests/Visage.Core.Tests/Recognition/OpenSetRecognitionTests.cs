using Visage.Faces;
using Visage.Gallery;
using Visage.Gallery.Search;
using Visage.Matching;
using Visage.Matching.OpenSet;
using Visage.Recognition;
using Visage.Tests.Gallery;
using static Visage.Tests.Vectors;

namespace Visage.Tests.Recognition;

/// <summary>
/// The default decision of the core verb: the open-set rule on the nearest persons' means, with the confidence, the
/// reason and the candidates in every answer, the operating point chosen by the caller, and the veto after the decision.
/// Hand-made descriptors in two dimensions (distances are plain 2-D distances) against the shipped model.
/// </summary>
public sealed class OpenSetRecognitionTests
{
    private long _nextFace = 1;

    private GalleryIndex Index(params (long Person, string Name, float X, float Y)[] faces)
    {
        var index = new GalleryIndex(Model);
        foreach (var (person, name, x, y) in faces) index.Add(_nextFace++, person, name, At(x, y));
        return index;
    }

    /// <summary>The bar the rule set for the nearest person: read from an answer, then probes just inside and just outside it.</summary>
    private static float BarFor(GalleryIndex index, MatchingOptions? options = null) => Recognizer.Identify(index, At(0.01f, 0), options).Threshold;

    [Fact]
    public void A_face_near_a_person_is_named_with_its_confidence_the_bar_and_the_candidates()
    {
        using var index = Index((1, "Ann", 0, 0), (1, "Ann", 0, 0.2f), (2, "Bob", 3, 0));
        var m = Recognizer.Identify(index, At(0.1f, 0.1f), new MatchingOptions { OpenSet = new OpenSetOptions { Candidates = 5 } });

        Assert.Equal((1L, "Ann"), (m.PersonId!.Value, m.Name));
        Assert.Equal(MatchMode.OpenSet, m.Mode);
        Assert.Equal(0.1f, m.Distance, 1e-6f); // to Ann's mean (0, 0.1)
        Assert.Contains(m.FaceId, new long?[] { 1, 2 }); // Ann's faces are both as near
        Assert.Equal(2L, Recognizer.Identify(index, At(0.1f, 0.15f)).FaceId); // nearer her second face
        Assert.Equal(OpenSetReason.Named, m.Reason);
        Assert.InRange(m.Confidence, 0.9, 1);
        Assert.True(m.Distance < m.Threshold);
        Assert.Equal(["Ann", "Bob"], m.Candidates.Select(c => c.Name));
        Assert.Equal(m.Confidence, m.Candidates[0].Confidence, 12);
        Assert.InRange(m.Candidates[1].Confidence, 0, 0.01);
        Assert.Equal(2.9017f, m.Candidates[1].Distance, 1e-3f);
        Assert.Single(Recognizer.Identify(index, At(0.1f, 0.1f)).Candidates); // one by default
    }

    [Fact]
    public void An_enrolled_photo_again_is_named_even_when_the_persons_mean_is_beyond_the_bar()
    {
        using var index = Index((1, "Ann", 0, 0), (1, "Ann", 2, 0), (2, "Bob", 0, 5));
        var again = Recognizer.Identify(index, At(2, 0)); // her second photo, a whole unit from her mean
        var near = Recognizer.Identify(index, At(2 + Recognizer.SamePhotoDistance * 0.9f, 0));
        var farther = Recognizer.Identify(index, At(2 + Recognizer.SamePhotoDistance * 1.1f, 0));

        Assert.True(again.Distance > again.Threshold); // the rule alone would say unknown
        Assert.Equal(("Ann", OpenSetReason.SameAsAnEnrolledPhoto, 2L), (again.Name, again.Reason, again.FaceId!.Value));
        Assert.Equal(1f, again.Distance, 1e-5f); // still the distance to her mean
        Assert.Equal("Ann", near.Name);
        Assert.Equal((null, OpenSetReason.NoEnrolledFaceCloseEnough), (farther.Name, farther.Reason));
    }

    [Fact]
    public void Just_over_the_bar_is_unknown_because_no_enrolled_face_is_close_enough()
    {
        using var index = Index((1, "Ann", 0, 0));
        var bar = BarFor(index);
        var inside = Recognizer.Identify(index, At(bar * 0.99f, 0));
        var outside = Recognizer.Identify(index, At(bar * 1.01f, 0));

        Assert.Equal("Ann", inside.Name);
        Assert.Null(outside.PersonId);
        Assert.Null(outside.FaceId);
        Assert.Equal(OpenSetReason.NoEnrolledFaceCloseEnough, outside.Reason);
        Assert.Equal(bar, outside.Threshold, 1e-6f);
        Assert.Equal(["Ann"], outside.Candidates.Select(c => c.Name)); // a stranger has candidates too
        Assert.InRange(outside.Confidence, 0.5, 1); // the probability that it is nobody enrolled
    }

    [Fact]
    public void Two_people_as_near_as_each_other_are_too_close_to_tell()
    {
        using var index = Index((1, "Ann", -0.15f, 0), (2, "Bea", 0.15f, 0));
        var m = Recognizer.Identify(index, At(0, 0.05f), new MatchingOptions { OpenSet = new OpenSetOptions { Candidates = 2 } });

        Assert.Null(m.PersonId);
        Assert.Equal(OpenSetReason.TwoPeopleTooCloseToTell, m.Reason);
        Assert.Equal("two people too close to tell", m.Explanation);
        Assert.Equal(2, m.Candidates.Count);
        Assert.Equal(m.Candidates[0].Confidence, m.Candidates[1].Confidence, 6);
    }

    [Fact]
    public void The_operating_point_moves_the_bar_strict_below_balanced_below_lenient()
    {
        using var index = Index((1, "Ann", 0, 0));
        float strict = BarFor(index, MatchingOptions.At(OpenSetOptions.RateOf(Strictness.Strict)));
        float balanced = BarFor(index), lenient = BarFor(index, MatchingOptions.At(OpenSetOptions.RateOf(Strictness.Lenient)));
        Assert.True(strict < balanced && balanced < lenient, $"bars {strict}, {balanced}, {lenient}");

        // A face between the strict and the balanced bar: named at the default, not when strict.
        var probe = At((strict + balanced) / 2, 0);
        Assert.Equal("Ann", Recognizer.Identify(index, probe).Name);
        Assert.Null(Recognizer.Identify(index, probe, MatchingOptions.At(0.001)).PersonId);
    }

    [Fact]
    public void The_bar_is_lower_in_a_larger_gallery_so_strangers_named_stay_at_the_target()
    {
        using var small = Index((1, "Ann", 0, 0));
        using var large = Index((1, "Ann", 0, 0));
        var rng = new Random(3);
        for (var p = 2; p <= 300; p++) large.Add(_nextFace++, p, $"p{p}", Vectors.Random(rng)); // far from Ann and from each other
        Assert.True(BarFor(large) < BarFor(small) - 0.02f, $"bars {BarFor(large)} and {BarFor(small)}");
    }

    [Fact]
    public void An_expert_threshold_replaces_the_bar_and_the_face_rules_answer_with_confidence_and_candidates_too()
    {
        using var index = Index((1, "Ann", 0, 0), (1, "Ann", 0.2f, 0));
        var expert = Recognizer.Identify(index, At(0.35f, 0), new MatchingOptions { Threshold = 0.2f });
        Assert.Null(expert.PersonId); // 0.25 from Ann's mean
        Assert.Equal(0.2f, expert.Threshold);

        var nearest = Recognizer.Identify(index, At(0.35f, 0), new MatchingOptions { Mode = MatchMode.Nearest });
        Assert.Equal("Ann", nearest.Name);
        Assert.Equal(0.15f, nearest.Distance, 1e-6f); // to her nearest face
        Assert.InRange(nearest.Confidence, 0.9, 1);
        Assert.Equal(["Ann"], nearest.Candidates.Select(c => c.Name));
    }

    [Fact]
    public void The_veto_applies_after_the_decision_and_the_rule_decides_again_among_the_others()
    {
        using var backend = new SqliteBackend();
        using var gallery = FaceGallery.Open(backend.Location, Model);
        long Enroll(string name, float x)
        {
            var person = gallery.CreatePerson(name);
            gallery.Enroll(person.Id, TempGallery.Sha(name), TempGallery.Face(At(x, 0)));
            return person.Id;
        }
        var paul = Enroll("Paul", 0);
        var quinn = Enroll("Quinn", 0.75f);
        var options = new MatchingOptions { OpenSet = new OpenSetOptions { Candidates = 2 } };
        var probe = Embed(At(0.2f, 0));
        var before = Recognizer.Identify(gallery, probe, options);
        Assert.Equal(paul, before.PersonId); // 0.2 from Paul, 0.55 from Quinn: Paul by a clear lead

        gallery.Reject(paul, probe);
        var after = Recognizer.Identify(gallery, probe, options);
        Assert.Equal(quinn, after.PersonId); // Quinn passes the bar on his own
        Assert.Equal(paul, after.VetoedPersonId);
        Assert.Equal(["Quinn"], after.Candidates.Select(c => c.Name)); // a vetoed person is no candidate either
        Assert.Equal(paul, Recognizer.Identify(gallery, Embed(At(-0.1f, 0)), options).PersonId); // Paul himself still is

        // Several descriptors of one face are decided from their mean, the veto included.
        var burst = Recognizer.Identify(gallery, [Embed(At(0.1f, 0.05f)), Embed(At(0.3f, -0.05f))], options);
        Assert.Equal(quinn, burst.PersonId);
        Assert.Equal(paul, burst.VetoedPersonId);
    }

    [Fact]
    public void A_burst_decides_each_face_of_the_last_frame_once_from_every_frame_it_was_found_in()
    {
        using var backend = new SqliteBackend();
        using var gallery = FaceGallery.Open(backend.Location, Model);
        var ann = gallery.CreatePerson("Ann");
        gallery.Enroll(ann.Id, TempGallery.Sha("ann"), TempGallery.Face(At(0, 0)));
        var bar = Recognizer.Identify(gallery, Embed(At(0.01f, 0))).Threshold;
        static Face FaceAt(float x, float left) => new(new BoundingBox(left, 10, 100, 100), 1, null, Embed(Vectors.At(x, 0)));
        // Ann's face moves right by 10 px a frame; each frame alone is a little over the bar, the mean of three well under it.
        // A stranger far off stays unknown; a face only in the last frame is decided from that frame alone.
        var over = bar * 1.05f;
        var frames = new[]
        {
            new Visage.Pipeline.Analysis([FaceAt(over, 0), FaceAt(5, 300)], new StageTimings()),
            new Visage.Pipeline.Analysis([FaceAt(-over, 10), FaceAt(5, 310)], new StageTimings()),
            new Visage.Pipeline.Analysis([FaceAt(0.01f, 600), FaceAt(over, 20), FaceAt(5, 320)], new StageTimings()),
        };

        Assert.All(frames.SelectMany(f => f.Faces).Where(f => f.Box.X < 100), f => Assert.False(Recognizer.Identify(gallery, f.Embedding!).IsKnown));
        var photo = Recognizer.Recognize(frames, gallery);

        Assert.Equal([1, 3, 3], photo.Faces.Select(f => f.Frames));
        Assert.Equal(["Ann", "Ann", null], photo.Faces.Select(f => f.Match.Name));
        Assert.Equal([600.0, 20, 320], photo.Faces.Select(f => f.Face.Box.X)); // the last frame's faces, in its order
        Assert.Throws<ArgumentException>(() => Recognizer.Recognize(Array.Empty<Visage.Pipeline.Analysis>(), gallery));
    }
}
