using System.Security.Cryptography;
using Visage.Embedding;
using Visage.Enrollment;
using Visage.Faces;
using Visage.Gallery.Storage;
using Visage.Gallery;
using Visage.Imaging;
using Visage.Pipeline;
using Visage.Tests.Embedding;

namespace Visage.Tests.Gallery;

/// <summary>Re-embedding a gallery for a new projection head or pipeline: from stored vectors, or from the photos.</summary>
[Collection(ModelsCollection.Name)]
public sealed class GalleryReembedderTests(ModelsFixture models) : IDisposable
{
    private readonly TempGallery _temp = new();

    public void Dispose() => _temp.Dispose();

    private static string Sha(string path) => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)));

    /// <summary>Enrolls the first face of two photos with the plain analyzer; returns the photos.</summary>
    private string[] Enroll(FaceAnalyzer plain)
    {
        string[] photos = [Path.Combine(TestData.Faces, "Tom_Cruise", "Tom_Cruise_0001.jpg"), Path.Combine(TestData.Faces, "Tom_Cruise", "Tom_Cruise_0002.jpg")];
        using var gallery = new FaceGallery(new SqliteGalleryStore(_temp.DbPath), plain.ModelId);
        var person = gallery.CreatePerson("Tom");
        foreach (var photo in photos) gallery.Enroll(person.Id, Sha(photo), plain.Analyze(new ImageDecoder().DecodeFile(photo)).Faces[0]);
        return photos;
    }

    [Fact]
    public void A_new_head_is_applied_to_the_stored_plain_vectors_without_photos()
    {
        using var plain = new FaceAnalyzer(null, models.Repository);
        Enroll(plain);
        var head = ProjectionHeadTests.RandomHead(plain.BaseModelId, residual: true);
        using var projected = new FaceAnalyzer(new FaceAnalyzerOptions { Embedding = new EmbeddingOptions { Head = head } }, models.Repository);

        using var store = new SqliteGalleryStore(_temp.DbPath);
        var report = new GalleryReembedder(projected, new ImageDecoder()).Run(store, new Dictionary<string, string>(), prune: false);
        var again = new GalleryReembedder(projected, new ImageDecoder()).Run(store, new Dictionary<string, string>(), prune: false);

        Assert.Equal((2, 0, 0), (report.FromVectors, report.FromPhotos, report.Missing.Count));
        Assert.Equal((2, 0), (again.AlreadyCurrent, again.FromVectors));
        Assert.Equal(new GalleryCounts(1, 2, 2), store.Count(head.ModelId));
        var faces = store.ListFaces(1).Where(f => f.Embedding.ModelId == head.ModelId).ToList();
        var originals = store.ListFaces(1).Where(f => f.Embedding.ModelId == plain.ModelId).ToList();
        Assert.Equal(head.Project(originals[0].Embedding).Vector, faces[0].Embedding.Vector);
    }

    [Fact]
    public void Another_pipeline_needs_the_photos_and_cuts_chips_from_the_stored_landmarks()
    {
        using var plain = new FaceAnalyzer(null, models.Repository);
        var photos = Enroll(plain);
        using var noFlip = new FaceAnalyzer(new FaceAnalyzerOptions { Embedding = new EmbeddingOptions { FlipAverage = false } }, models.Repository);
        using var store = new SqliteGalleryStore(_temp.DbPath);

        var withoutPhotos = new GalleryReembedder(noFlip, new ImageDecoder()).Run(store, new Dictionary<string, string>(), prune: true);
        var withPhotos = new GalleryReembedder(noFlip, new ImageDecoder()).Run(store, photos.ToDictionary(Sha), prune: true);

        Assert.Equal(2, withoutPhotos.Missing.Count);
        Assert.Equal(0, withoutPhotos.Pruned); // nothing replaced, nothing deleted
        Assert.Equal((2, 2), (withPhotos.FromPhotos, withPhotos.Pruned));
        Assert.Equal(new GalleryCounts(1, 2, 0), store.Count(noFlip.ModelId));
        var expected = noFlip.Analyze(new ImageDecoder().DecodeFile(photos[0])).Faces[0].Embedding!.Vector;
        // The gallery keeps landmarks as float32: the chip moves by a hair.
        Assert.True(Visage.Matching.FaceDistance.Euclidean(expected, store.ListFaces(1)[0].Embedding.Vector) < 1e-4);
    }

    [Fact]
    public void Faces_stored_under_an_id_that_named_the_int8_precision_move_to_todays_id_without_photos()
    {
        using var int8 = new FaceAnalyzer(null, models.Repository); // the default: the int8 recognition net
        var legacy = int8.ModelId.Replace("@1.7.15/", "@1.7.15+int8/"); // what builds before one space wrote
        Assert.Equal(int8.ModelId, EmbeddingModel.WithoutVariant(legacy));
        var photo = Path.Combine(TestData.Faces, "Tom_Cruise", "Tom_Cruise_0001.jpg");
        var face = int8.Analyze(new ImageDecoder().DecodeFile(photo)).Faces[0];
        using (var gallery = new FaceGallery(new SqliteGalleryStore(_temp.DbPath), legacy))
            gallery.Enroll(gallery.CreatePerson("Tom").Id, Sha(photo), face with { Embedding = new FaceEmbedding(face.Embedding!.Vector, legacy) });

        using var store = new SqliteGalleryStore(_temp.DbPath);
        Assert.Equal(new GalleryCounts(1, 0, 1), store.Count(int8.ModelId)); // not matched until moved
        var report = new GalleryReembedder(int8, new ImageDecoder()).Run(store, new Dictionary<string, string>(), prune: true);

        Assert.Equal((1, 0, 0, 1), (report.FromVectors, report.FromPhotos, report.Missing.Count, report.Pruned));
        Assert.Equal(new GalleryCounts(1, 1, 0), store.Count(int8.ModelId));
        Assert.Equal(face.Embedding.Vector, Assert.Single(store.ListFaces(1)).Embedding.Vector); // the same vector, not a new one
    }

    [Theory]
    [InlineData("face_recognition_model@1.7.15+int8/dlib+flip", "face_recognition_model@1.7.15/dlib+flip")]
    [InlineData("face_recognition_model@1.7.15+int8/dlib+flip+head.3fa9c0d1e2b4", "face_recognition_model@1.7.15/dlib+flip+head.3fa9c0d1e2b4")]
    [InlineData("face_recognition_model@1.7.15/dlib+flip", "face_recognition_model@1.7.15/dlib+flip")]
    [InlineData("face_recognition_model@1.7.15/dlib+flip+head.3fa9c0d1e2b4", "face_recognition_model@1.7.15/dlib+flip+head.3fa9c0d1e2b4")]
    [InlineData("pixel-probe@1+beta/dlib", "pixel-probe@1+beta/dlib")] // a version with a "+" that names no precision
    [InlineData("no-slash+int8", "no-slash+int8")]
    public void Only_a_precision_after_the_version_is_taken_out_of_an_id(string id, string expected) =>
        Assert.Equal(expected, EmbeddingModel.WithoutVariant(id));
}
