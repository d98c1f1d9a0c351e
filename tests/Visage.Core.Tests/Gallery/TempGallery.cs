using System.Security.Cryptography;
using System.Text;
using Visage.Faces;

namespace Visage.Tests.Gallery;

/// <summary>A temp directory for gallery files, deleted afterwards, plus helpers to make faces.</summary>
internal sealed class TempGallery : IDisposable
{
    public TempGallery()
    {
        Directory = Path.Combine(Path.GetTempPath(), "visage-gallery-tests", Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(Directory);
    }

    public string Directory { get; }

    public string DbPath => Path.Combine(Directory, "gallery.db");

    public string File(string name) => Path.Combine(Directory, name);

    /// <summary>A file's bytes, read while SQLite may still have it open.</summary>
    public static byte[] ReadShared(string path)
    {
        if (!System.IO.File.Exists(path)) return [];
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        var bytes = new byte[stream.Length];
        stream.ReadExactly(bytes);
        return bytes;
    }

    /// <summary>A stable fake image hash.</summary>
    public static string Sha(string image) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(image)));

    public static FaceLandmarks Landmarks(float offset) =>
        new(Enumerable.Range(0, FaceLandmarks.Count).Select(i => new Point2(offset + i, offset + 2 * i + 0.25)).ToArray());

    public static Face Face(float[] vector, string model = Vectors.Model) =>
        new(new BoundingBox(10.5, 20, 100, 120.25), 0.9f, Landmarks(3), new FaceEmbedding(vector, model));

    public void Dispose()
    {
        try { System.IO.Directory.Delete(Directory, recursive: true); }
        catch (IOException) { } // best effort: a leftover temp dir must not fail a test
    }
}
