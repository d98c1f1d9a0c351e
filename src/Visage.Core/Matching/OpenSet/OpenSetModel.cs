namespace Visage.Matching.OpenSet;

/// <summary>
/// The fitted constants behind <see cref="OpenSetRule"/>: how far strangers and a person's own faces fall from an
/// enrolled person's mean descriptor, for this descriptor model. Produced by <see cref="OpenSetCalibration.Fit"/>
/// from labeled descriptors; <see cref="Default"/> is the fit on all of ../shared/data/faces.
/// </summary>
/// <remarks>
/// The two distance models, for a probe at Euclidean distance D from the centroid of a person with n enrolled faces
/// whose within-person variance is w² (<see cref="WithinVariance"/>, shrunk per person, see <see cref="PersonSpread(int, double)"/>):
/// <list type="bullet">
/// <item><b>Stranger</b>: the adjusted distance <c>r = sqrt(max(0, D² - w²/n))</c> (the centroid's own scatter taken
/// out, so persons with 1 and 5 faces are compared on one scale) follows a unit-variance Student t with
/// <see cref="DegreesOfFreedom"/>, location <see cref="StrangerLocation"/> and standard deviation
/// <see cref="StrangerScale"/>, both indexed by min(n, 3) - 1. Measured on ../shared/data/faces, r is close to normal
/// down to a 1e-4 tail in this form, while D itself has a heavier lower tail than normal.</item>
/// <item><b>Same person</b>: <c>g = D / sqrt(w² (1 + 1/n))</c> (a probe's expected squared distance to its own
/// person's centroid is w²(1 + 1/n)) follows the same t shape with location <see cref="GenuineLocation"/> and standard
/// deviation <see cref="GenuineScale"/>, whatever n.</item>
/// </list>
/// </remarks>
/// <param name="WithinVariance">w²: pooled mean squared distance of a face to its person's true mean (sum over persons of squared distances to the centroid / sum of (faces - 1)).</param>
/// <param name="StrangerLocation">Mean of the stranger r for n = 1, 2 and 3 or more faces.</param>
/// <param name="StrangerScale">Standard deviation of the stranger r for n = 1, 2 and 3 or more faces.</param>
/// <param name="GenuineLocation">Mean of the same-person g.</param>
/// <param name="GenuineScale">Standard deviation of the same-person g.</param>
/// <param name="DegreesOfFreedom">nu of the t shape: persons fitted on - 1.</param>
/// <param name="StrangerMeanSquaredDistance">Mean of D² - w²/n over the stranger pairs fitted on: the crowding the gallery is compared with (<see cref="GalleryStatistics"/>).</param>
/// <param name="Persons">Persons the model was fitted on.</param>
/// <param name="ModelId">The descriptor model (<see cref="Faces.FaceEmbedding.ModelId"/>) the fit applies to.</param>
public sealed record OpenSetModel(
    double WithinVariance,
    IReadOnlyList<double> StrangerLocation,
    IReadOnlyList<double> StrangerScale,
    double GenuineLocation,
    double GenuineScale,
    double DegreesOfFreedom,
    double StrangerMeanSquaredDistance,
    int Persons,
    string ModelId)
{
    /// <summary>
    /// The fit on all 47 persons (218 photos) of ../shared/data/faces with the default pipeline (int8 SSD and recognition net since issue 22)
    /// (<c>visage eval ../shared/data/faces --openset --json</c> prints it as <c>fittedOnAll</c>; docs/ACCURACY.md). No
    /// figure of that evaluation uses it: each round fits its own model on persons it then never deals.
    /// </summary>
    public static OpenSetModel Default { get; } = new(
        WithinVariance: 0.08534,
        StrangerLocation: [0.76762, 0.76719, 0.76702],
        StrangerScale: [0.10109, 0.09947, 0.09582],
        GenuineLocation: 0.97778,
        GenuineScale: 0.18431,
        DegreesOfFreedom: 46,
        StrangerMeanSquaredDistance: 0.59871,
        Persons: 47,
        ModelId: "face_recognition_model@1.7.15/dlib+flip");

    /// <summary>The number of enrolled faces from which a person is modelled as having three (more faces change little).</summary>
    public const int MaxModelledFaces = 3;

    /// <summary>
    /// Pseudo-count of the shrinkage of a person's own spread toward <see cref="WithinVariance"/>: with n faces, the
    /// person's within-variance is (1 · w² + (n - 1) · unbiased own estimate) / n. Chosen on exploratory held-out runs
    /// of ../shared/data/faces (2 faces per person, a scratch harness): 1 ranked the persons best, about 0.5-1% more
    /// known faces named at the same share of strangers than the pooled w² alone, with 3 and 10 in between.
    /// </summary>
    public const double PersonSpreadPrior = 1;

    /// <summary>A person's within-variance w²: their own unbiased spread shrunk toward the pooled <see cref="WithinVariance"/>.</summary>
    /// <param name="faces">The person's enrolled faces (at least 1).</param>
    /// <param name="spread">Mean squared distance of those faces to their centroid (0 for one face).</param>
    public double PersonSpread(int faces, double spread) => PersonSpread(WithinVariance, faces, spread);

    /// <summary><see cref="PersonSpread(int, double)"/> for a given pooled within-variance (used while fitting).</summary>
    internal static double PersonSpread(double pooled, int faces, double spread)
    {
        if (faces < 2) return pooled;
        var own = spread * faces / (faces - 1);
        return (PersonSpreadPrior * pooled + (faces - 1) * own) / (PersonSpreadPrior + faces - 1);
    }

    /// <summary>Index into <see cref="StrangerLocation"/>/<see cref="StrangerScale"/> for a person with this many faces.</summary>
    public static int FaceClass(int faces) => Math.Clamp(faces, 1, MaxModelledFaces) - 1;
}
