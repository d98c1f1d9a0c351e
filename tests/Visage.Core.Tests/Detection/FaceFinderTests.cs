using Visage.Alignment;
using Visage.Detection;
using Visage.Faces;
using Visage.Imaging;
using Visage.Models;
using Visage.Pipeline;

namespace Visage.Tests.Detection;

/// <summary>The thorough detection on the shared photos: tight crops, groups, non-faces, and the one-face rule.</summary>
[Collection(ModelsCollection.Name)]
public sealed class FaceFinderTests(ModelsFixture models)
{
    private static readonly ImageDecoder Decoder = new();

    // The tests of one mechanism (the border pass, the tile confirmation) pin the fp32 detector whose misses and
    // scores their comments give; the int8 one finds Jim_Parsons_0001 in one pass, and one face of
    // group_8_faces.jpg on a tile rather than in the whole photo. The tests of what is found run both.
    private static readonly FaceAnalyzerOptions Fp32 = new() { Precision = ModelVariant.Fp32 };

    public static TheoryData<ModelVariant> Precisions => new() { ModelVariant.Int8, ModelVariant.Fp32 };

    // ../shared/data/groups/SOURCES.md: each face's nose point (CompreFace annotations).
    public static TheoryData<string, double[], ModelVariant> Groups
    {
        get
        {
            var data = new TheoryData<string, double[], ModelVariant>();
            foreach (var precision in new[] { ModelVariant.Int8, ModelVariant.Fp32 })
            {
                data.Add("group_3_faces.jpg", [314, 258, 449, 230, 385, 216], precision);
                data.Add("group_5_faces.jpg", [98, 283, 207, 265, 405, 175, 602, 270, 687, 305], precision);
                data.Add("group_8_faces.jpg", [197, 277, 262, 171, 261, 292, 355, 282, 437, 212, 452, 288, 517, 163, 684, 202], precision);
            }
            return data;
        }
    }

    [Fact]
    public void A_tight_crop_the_single_pass_misses_is_found_with_a_border()
    {
        var image = Decoder.DecodeFile(Path.Combine(TestData.Faces, "Jim_Parsons", "Jim_Parsons_0001.jpg"));
        using var parity = new FaceAnalyzer(FaceAnalyzerOptions.FaceApiParity, models.Repository);
        Assert.Empty(parity.Detect(image).Faces);

        var faces = new FaceFinder(models.Repository, Fp32).Find(image);

        var face = Assert.Single(faces);
        Assert.Equal("ssd-border", face.Stage);
        // The box is in the photo's coordinates (it may reach past the edge) and holds the face's centre.
        Assert.True(face.Box.Contains(new Point2(75, 75)), $"box {face.Box}");
        Assert.InRange(face.Box.Width, 90, 200);
        Assert.True(face.Landmarks!.Bounds().Contains(face.Landmarks.Mean(27, 35)));
    }

    [Fact]
    public void A_tight_crop_enlarged_past_the_bordered_view_limit_is_found_in_the_photo_coordinates()
    {
        // 16 times Jim_Parsons_0001 (2400 px): its bordered views are shrunk before the border is added, and the face
        // found there is mapped back to the full-size photo.
        var small = Decoder.DecodeFile(Path.Combine(TestData.Faces, "Jim_Parsons", "Jim_Parsons_0001.jpg"));
        const int k = 16;
        var large = TestImages.Enlarge(small, k);
        Assert.True(large.Width * 2 > FaceFinder.MaxBorderedSide);
        var finder = new FaceFinder(models.Repository, new FaceAnalyzerOptions());
        var expected = Assert.Single(finder.Find(small));

        var face = Assert.Single(finder.Find(large));

        Assert.Equal("ssd-border", face.Stage);
        Assert.InRange(face.Box.IoU(expected.Box.Map(0, 0, k)), 0.8, 1.0);
        var tolerance = 0.05 * face.Box.Width;
        Assert.True(face.Landmarks!.LeftEye.DistanceTo(new Point2(expected.Landmarks!.LeftEye.X * k, expected.Landmarks.LeftEye.Y * k)) < tolerance);
        Assert.True(face.Landmarks.Mouth.DistanceTo(new Point2(expected.Landmarks.Mouth.X * k, expected.Landmarks.Mouth.Y * k)) < tolerance);
    }

    [Theory]
    [MemberData(nameof(Groups))]
    public void Every_face_of_a_group_photo_is_found_once(string file, double[] noses, ModelVariant precision)
    {
        var faces = new FaceFinder(models.Repository, new FaceAnalyzerOptions { Precision = precision }).Find(Decoder.DecodeFile(Path.Combine(TestData.Groups, file)));

        for (var i = 0; i < noses.Length; i += 2)
        {
            var nose = new Point2(noses[i], noses[i + 1]);
            Assert.True(faces.Count(f => f.Box.Contains(nose)) == 1, $"nose {nose}: boxes {string.Join(", ", faces.Select(f => f.Box))}");
        }
        Assert.Equal(noses.Length / 2, faces.Count);
    }

    [Theory]
    [InlineData("obama_and_biden.jpg", new double[] { 1233, 477, 848, 506 }, ModelVariant.Int8)]
    [InlineData("kit_with_rose.jpg", new double[] { 117, 157, 305, 138 }, ModelVariant.Int8)]
    [InlineData("obama_and_biden.jpg", new double[] { 1233, 477, 848, 506 }, ModelVariant.Fp32)]
    [InlineData("kit_with_rose.jpg", new double[] { 117, 157, 305, 138 }, ModelVariant.Fp32)]
    public void Both_named_persons_of_a_two_person_photo_are_found(string file, double[] centres, ModelVariant precision)
    {
        // Face centres from face-api.js's boxes (reference/faceapi-groups.json). obama_and_biden.jpg also shows a
        // child at the bottom right, whom the tiles find as well.
        var faces = new FaceFinder(models.Repository, new FaceAnalyzerOptions { Precision = precision }).Find(Decoder.DecodeFile(Path.Combine(TestData.Groups, file)));
        for (var i = 0; i < centres.Length; i += 2)
            Assert.Equal(1, faces.Count(f => f.Box.Contains(new Point2(centres[i], centres[i + 1]))));
        Assert.InRange(faces.Count, 2, 3);
    }

    [Fact]
    public void Tile_proposals_are_kept_only_where_the_primary_detector_confirms_them()
    {
        // sample2.jpg (1920 px, three women): on its tiles the tiny detector also proposes a raised hand at the top
        // right (about 107 px at (1465, 96), score 0.52) whose landmarks pass the stability check; SSD, run on a
        // square around it, sees no face there. group_8_faces.jpg's two faces the whole-photo pass misses are kept,
        // with SSD's own (tighter) boxes.
        var finder = new FaceFinder(models.Repository, Fp32);

        var sample = finder.Find(Decoder.DecodeFile(Path.Combine(TestData.Samples, "sample2.jpg")));
        Assert.Equal(3, sample.Count);
        Assert.DoesNotContain(sample, f => f.Box.Contains(new Point2(1465, 96)));

        var group = finder.Find(Decoder.DecodeFile(Path.Combine(TestData.Groups, "group_8_faces.jpg")));
        var fromTiles = group.Where(f => f.Stage == "ssd-tile").ToList();
        Assert.Equal(2, fromTiles.Count);
        Assert.All(fromTiles, f => Assert.InRange(f.Box.Width, 15, 45));
    }

    [Fact]
    public void The_tiles_run_only_where_the_whole_pass_hints_at_a_face_too_small_for_it()
    {
        // sample1.jpg (1920 px, three large faces): SSD's whole pass leaves no candidate over 0.054 beside its faces,
        // so the tiles are skipped; group_8_faces.jpg leaves 0.47 where a face is, so they run and find it.
        var tileCalls = 0;
        var registry = new Visage.Models.ModelRegistry()
            .Add<IFaceDetector>(SsdMobileNetV1Detector.DetectorName, SsdMobileNetV1Detector.Fp32, (m, d) => new SsdMobileNetV1Detector(m, d))
            .Add<IFaceDetector>(TinyFaceDetector.DetectorName, TinyFaceDetector.Fp32, (m, d) => new TinyFaceDetector(m, d))
            .Add<IFaceDetector>("counted-tiny", TinyFaceDetector.Fp32, (m, d) => new CountedDetector(new TinyFaceDetector(m, d), () => tileCalls++))
            .Add(Visage.Landmarks.FaceLandmark68Net.FullName, Visage.Landmarks.FaceLandmark68Net.Full, (m, d) => new Visage.Landmarks.FaceLandmark68Net(m, d));
        FaceFinder Finder(float signal) => new(models.Repository,
            new FaceAnalyzerOptions { Finder = new FaceFinderOptions { TileDetector = "counted-tiny", TileSignal = signal } }, registry);
        var sample = Decoder.DecodeFile(Path.Combine(TestData.Samples, "sample1.jpg"));
        var group = Decoder.DecodeFile(Path.Combine(TestData.Groups, "group_8_faces.jpg"));

        Assert.Equal(3, Finder(new FaceFinderOptions().TileSignal).Find(sample).Count);
        Assert.Equal(0, tileCalls);

        Assert.Equal(2, Finder(new FaceFinderOptions().TileSignal).Find(group).Count(f => f.Stage == "ssd-tile"));
        Assert.True(tileCalls > 0);

        tileCalls = 0;
        Assert.Equal(3, Finder(0).Find(sample).Count); // 0: every large photo is tiled
        Assert.Equal(6, tileCalls);
    }

    [Theory]
    [InlineData(1920, 1280)]
    [InlineData(1280, 960)]
    [InlineData(1024, 768)]
    public void Skipping_the_tiles_without_a_hint_loses_no_face_of_the_shared_photos_made_small(int width, int height)
    {
        // Every sample and group photo shrunk 2 to 6 times onto a grey canvas: faces of 18-110 px, many of them too
        // small for SSD's whole pass. The default finder (tiles only on a hint) finds what tiling every photo finds.
        var options = new FaceAnalyzerOptions();
        var gated = new FaceFinder(models.Repository, options);
        var always = new FaceFinder(models.Repository, options with { Finder = options.Finder with { TileSignal = 0 } });
        var photos = Directory.GetFiles(TestData.Samples, "*.jpg").Concat(Directory.GetFiles(TestData.Groups, "*.jpg")).Order();
        var tileFaces = 0;
        foreach (var file in photos)
            foreach (var shrink in new[] { 2, 3, 4, 5, 6 })
            {
                var canvas = OnGreyCanvas(Decoder.DecodeFile(file).ShrinkBy(shrink), width, height);
                var expected = always.Find(canvas);
                var actual = gated.Find(canvas);
                var where = $"{Path.GetFileName(file)} / {shrink} on {width}x{height}";
                Assert.True(expected.Count == actual.Count, $"{where}: {actual.Count} faces, {expected.Count} with every photo tiled");
                foreach (var face in expected)
                    Assert.True(actual.Any(f => f.Box.IoU(face.Box) > 0.9), $"{where}: the {face.Stage} face at {face.Box} is lost");
                tileFaces += expected.Count(f => f.Stage.EndsWith("-tile"));
            }
        // The set has what the rule is about: faces only the tiles find.
        Assert.True(tileFaces >= 5, $"{tileFaces} faces found by the tiles only");
    }

    private static RgbImage OnGreyCanvas(RgbImage photo, int width, int height)
    {
        var pixels = new byte[width * height * 3];
        Array.Fill(pixels, (byte)128);
        var (w, h) = (Math.Min(photo.Width, width), Math.Min(photo.Height, height));
        for (var y = 0; y < h; y++)
            Array.Copy(photo.Pixels, y * photo.Stride, pixels, y * width * 3, w * 3);
        return new RgbImage(width, height, pixels);
    }

    /// <summary>A detector that counts its calls.</summary>
    private sealed class CountedDetector(IFaceDetector inner, Action called) : IFaceDetector
    {
        public string Name => inner.Name;

        public Visage.Models.ModelDescriptor Model => inner.Model;

        public IReadOnlyList<FaceDetection> Detect(RgbImage image, PixelRect region, DetectorSettings settings)
        {
            called();
            return inner.Detect(image, region, settings);
        }
    }

    [Theory]
    [MemberData(nameof(Precisions))]
    public void No_face_is_reported_on_the_non_face_photos(ModelVariant precision)
    {
        var finder = new FaceFinder(models.Repository, new FaceAnalyzerOptions { Precision = precision });
        foreach (var file in Directory.GetFiles(TestData.NonFaces).Where(f => !f.EndsWith(".md")))
        {
            var faces = finder.Find(Decoder.DecodeFile(file));
            Assert.True(faces.Count == 0, $"{Path.GetFileName(file)}: {string.Join(", ", faces.Select(f => $"{f.Stage} {f.Score:0.00} {f.Box}"))}");
        }
    }

    [Fact]
    public void The_cat_fools_the_detector_but_not_the_landmark_check()
    {
        var image = Decoder.DecodeFile(Path.Combine(TestData.NonFaces, "cat_chelsea.png"));
        var unchecked_ = new FaceFinder(models.Repository, new FaceAnalyzerOptions { Finder = new FaceFinderOptions { RejectNonFaces = false } }).Find(image);
        Assert.NotEmpty(unchecked_);
        Assert.Empty(new FaceFinder(models.Repository, new FaceAnalyzerOptions()).Find(image));
    }

    [Fact]
    public void The_subject_of_a_portrait_with_a_bystander_is_the_larger_face()
    {
        var image = Decoder.DecodeFile(Path.Combine(TestData.Faces, "Heather_Mills", "Heather_Mills_0002.jpg"));
        var finder = new FaceFinder(models.Repository, new FaceAnalyzerOptions());
        var all = finder.Find(image);
        var subject = finder.FindSubject(image, out var faces);
        var found = faces.Count;
        Assert.Equal(2, found);
        Assert.Equal(all.Max(f => f.Box.Area), subject!.Box.Area);
    }

    [Fact]
    public void The_subject_behind_a_bystander_is_found_by_the_border_pass()
    {
        // Joseph_Biden_0002 (250x250): SSD's only face over 0.5 is a 62 px face at the left edge; the subject, centred
        // and too large for SSD's anchors, is found by the border pass, which runs for every caller.
        var image = Decoder.DecodeFile(Path.Combine(TestData.Faces, "Joseph_Biden", "Joseph_Biden_0002.jpg"));
        var finder = new FaceFinder(models.Repository, new FaceAnalyzerOptions());

        var every = finder.Find(image);
        Assert.Equal(["ssd", "ssd-border"], every.Select(f => f.Stage));
        Assert.True(FaceFinder.IsBystander(every[0].Box, image.Width, image.Height), $"box {every[0].Box}");

        var subject = finder.FindSubject(image, out var faces);
        Assert.Equal(2, faces.Count);
        Assert.Equal("ssd-border", subject!.Stage);
        Assert.True(subject.Box.Contains(new Point2(125, 125)), $"subject {subject.Box}");
    }

    [Fact]
    public void A_chip_reaching_past_the_photo_edge_is_black_there()
    {
        // A 150 px tight crop: dlib's padding of 0.25 around the face reaches outside the photo.
        var image = Decoder.DecodeFile(Path.Combine(TestData.Faces, "Kaley_Cuoco", "Kaley_Cuoco_0001.jpg"));
        var face = new FaceFinder(models.Repository, new FaceAnalyzerOptions()).Find(image)[0];
        var toImage = DlibChip.ChipToImage(face.Landmarks!);
        var chip = DlibChip.Extract(image, face.Landmarks!);

        int outside = 0, inside = 0;
        for (var r = 0; r < chip.Height; r++)
            for (var c = 0; c < chip.Width; c++)
            {
                var p = toImage.Apply(new Point2(c, r));
                var o = (r * chip.Width + c) * 3;
                var black = chip.Pixels[o] == 0 && chip.Pixels[o + 1] == 0 && chip.Pixels[o + 2] == 0;
                // One pixel of slack for the bilinear blend at the edge.
                if (p.X < -1 || p.Y < -1 || p.X > image.Width || p.Y > image.Height) { outside++; Assert.True(black, $"chip ({c},{r}) maps to {p}"); }
                else if (p.X > 2 && p.Y > 2 && p.X < image.Width - 3 && p.Y < image.Height - 3 && !black) inside++;
            }
        Assert.True(outside > 500, $"only {outside} chip pixels fall outside the photo");
        Assert.True(inside > 10000, $"only {inside} chip pixels show the photo");
    }
}
