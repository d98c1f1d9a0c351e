namespace Visage.Faces;

/// <summary>
/// dlib's mean face: where landmarks 17-67 of the 68-point scheme lie on average, in the unit square
/// (dlib/image_transforms/interpolation.h). The face chips are cut by fitting it to a face's landmarks, and a face's
/// size in its units normalizes landmark movements.
/// </summary>
public static class MeanFace
{
    // dlib/image_transforms/interpolation.h: mean positions of landmarks 17..67 in the unit square.
    private static readonly double[] MeanX =
    [
        0.000213256, 0.0752622, 0.18113, 0.29077, 0.393397, 0.586856, 0.689483, 0.799124,
        0.904991, 0.98004, 0.490127, 0.490127, 0.490127, 0.490127, 0.36688, 0.426036,
        0.490127, 0.554217, 0.613373, 0.121737, 0.187122, 0.265825, 0.334606, 0.260918,
        0.182743, 0.645647, 0.714428, 0.793132, 0.858516, 0.79751, 0.719335, 0.254149,
        0.340985, 0.428858, 0.490127, 0.551395, 0.639268, 0.726104, 0.642159, 0.556721,
        0.490127, 0.423532, 0.338094, 0.290379, 0.428096, 0.490127, 0.552157, 0.689874,
        0.553364, 0.490127, 0.42689,
    ];

    private static readonly double[] MeanY =
    [
        0.106454, 0.038915, 0.0187482, 0.0344891, 0.0773906, 0.0773906, 0.0344891,
        0.0187482, 0.038915, 0.106454, 0.203352, 0.307009, 0.409805, 0.515625, 0.587326,
        0.609345, 0.628106, 0.609345, 0.587326, 0.216423, 0.178758, 0.179852, 0.231733,
        0.245099, 0.244077, 0.231733, 0.179852, 0.178758, 0.216423, 0.244077, 0.245099,
        0.780233, 0.745405, 0.727388, 0.742578, 0.727388, 0.745405, 0.780233, 0.864805,
        0.902192, 0.909281, 0.902192, 0.864805, 0.784792, 0.778746, 0.785343, 0.778746,
        0.784792, 0.824182, 0.831803, 0.824182,
    ];

    /// <summary>dlib skips the brows (17-26) and the lower lip (55-59, 65-67).</summary>
    private static bool Used(int i) => i >= 27 && !(i is >= 55 and <= 59) && !(i is >= 65 and <= 67);

    /// <summary>
    /// The similarity transform that best maps the mean face, drawn in a <paramref name="size"/>-pixel square with
    /// <paramref name="padding"/> around it (dlib's chip layout), onto <paramref name="landmarks"/> (33 of the 68 points:
    /// eyes, nose, outer mouth, upper inner lip, as dlib uses). Its scale is the face's size in units of the mean face.
    /// </summary>
    public static SimilarityTransform Fit(FaceLandmarks landmarks, int size, double padding)
    {
        var from = new List<Point2>();
        var to = new List<Point2>();
        for (var i = 17; i < FaceLandmarks.Count; i++)
        {
            if (!Used(i)) continue;
            from.Add(new Point2((padding + MeanX[i - 17]) / (2 * padding + 1) * size, (padding + MeanY[i - 17]) / (2 * padding + 1) * size));
            to.Add(landmarks.Points[i]);
        }
        return SimilarityTransform.Fit(from, to);
    }
}
