using System.Buffers.Binary;
using Visage.Faces;

namespace Visage.Gallery.Storage;

/// <summary>
/// The stored byte forms, the same in every store: descriptors as little-endian float32 (512 bytes for 128 values),
/// landmarks as 68 little-endian float32 (x, y) pairs (544 bytes; float32 keeps well under 0.01 px for any photo size).
/// </summary>
internal static class BlobCodec
{
    public const int LandmarkBytes = FaceLandmarks.Count * 2 * sizeof(float);

    public static byte[] EncodeFloats(ReadOnlySpan<float> values)
    {
        var bytes = new byte[values.Length * sizeof(float)];
        for (var i = 0; i < values.Length; i++)
            BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * sizeof(float)), values[i]);
        return bytes;
    }

    public static void DecodeFloats(ReadOnlySpan<byte> bytes, Span<float> values)
    {
        if (bytes.Length != values.Length * sizeof(float))
            throw new InvalidDataException($"expected {values.Length * sizeof(float)} bytes, got {bytes.Length}");
        for (var i = 0; i < values.Length; i++)
            values[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes[(i * sizeof(float))..]);
    }

    public static byte[] EncodeLandmarks(FaceLandmarks landmarks)
    {
        Span<float> xy = stackalloc float[FaceLandmarks.Count * 2];
        for (var i = 0; i < FaceLandmarks.Count; i++)
        {
            xy[2 * i] = (float)landmarks.Points[i].X;
            xy[2 * i + 1] = (float)landmarks.Points[i].Y;
        }
        return EncodeFloats(xy);
    }

    public static FaceLandmarks DecodeLandmarks(ReadOnlySpan<byte> bytes)
    {
        Span<float> xy = stackalloc float[FaceLandmarks.Count * 2];
        DecodeFloats(bytes, xy);
        var points = new Point2[FaceLandmarks.Count];
        for (var i = 0; i < points.Length; i++) points[i] = new Point2(xy[2 * i], xy[2 * i + 1]);
        return new FaceLandmarks(points);
    }
}
