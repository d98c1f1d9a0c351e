using Visage.Faces;

namespace Visage.Evaluation;

/// <summary>What the evaluation keeps of one photo under one pipeline: its subject face, or why there is none.</summary>
/// <param name="FacesFound">Faces found in the photo (0: none).</param>
/// <param name="Stage">Which detection stage found the subject.</param>
/// <param name="Score">Detector score of the subject.</param>
/// <param name="Box">Its box: x, y, width, height.</param>
/// <param name="Landmarks">Its 68 points as x0, y0, x1, y1, ...</param>
/// <param name="Embedding">Its descriptor.</param>
/// <param name="Error">Why the photo could not be read, if it could not.</param>
public sealed record PhotoSubject(int FacesFound, string? Stage = null, float Score = 0, double[]? Box = null, double[]? Landmarks = null, float[]? Embedding = null, string? Error = null)
{
    /// <summary>The record of a photo's subject face.</summary>
    public static PhotoSubject Of(Face face, int facesFound)
    {
        var points = new double[FaceLandmarks.Count * 2];
        for (var i = 0; i < FaceLandmarks.Count; i++) (points[2 * i], points[2 * i + 1]) = (face.Landmarks!.Points[i].X, face.Landmarks.Points[i].Y);
        return new PhotoSubject(facesFound, face.Stage, face.Score, [face.Box.X, face.Box.Y, face.Box.Width, face.Box.Height], points, face.Embedding!.Vector);
    }

    /// <summary>The landmarks as points, or null.</summary>
    public FaceLandmarks? Points()
    {
        if (Landmarks is not { Length: FaceLandmarks.Count * 2 } l) return null;
        var points = new Point2[FaceLandmarks.Count];
        for (var i = 0; i < points.Length; i++) points[i] = new Point2(l[2 * i], l[2 * i + 1]);
        return new FaceLandmarks(points);
    }
}
