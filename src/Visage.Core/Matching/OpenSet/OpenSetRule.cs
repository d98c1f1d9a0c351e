namespace Visage.Matching.OpenSet;

/// <summary>
/// Open-set identification that knows what is enrolled: names the nearest person only when a stranger would come
/// that close less often than the operating point allows for a gallery of this size, and says how sure it is.
/// Pure arithmetic over what the gallery search found (no I/O; the only state is a cache of quantiles; safe to share
/// between threads).
/// </summary>
/// <remarks>
/// <para>For each candidate person k (n_k faces, within-variance w_k² from <see cref="OpenSetModel.PersonSpread(int, double)"/>),
/// with D_k the probe's distance to their centroid (with several descriptors of one face, from their mean,
/// <see cref="ProbeDescriptors.Average"/>: one search, one decision):</para>
/// <list type="number">
/// <item>Stranger tail: <c>r_k = sqrt(max(0, D_k² - w_k²/n_k))</c>, <c>z_k = (r_k - m(n_k) - shift) / s(n_k)</c>,
/// <c>p_k = T_nu(z_k)</c>: how often a stranger comes this close to person k (<see cref="OpenSetModel"/>).</item>
/// <item>Bar: with G persons enrolled and target rate alpha, each person gets <c>alpha_G = 1 - (1 - alpha)^(1/G)</c>
/// (Šidák), so a stranger passes nobody's bar with probability 1 - alpha when the persons' tails are independent, and
/// with at least that when they are positively dependent (a "hub" face close to everyone), as here.
/// The person with the smallest p is named when <c>p &lt; alpha_G</c> (or, with an expert
/// <see cref="OpenSetOptions.Threshold"/>, when D is under it).</item>
/// <item>Crowding: the gallery's own faces are a free sample of stranger distances. When their mean squared distance
/// to the other persons' centroids (less the centroids' scatter) is below the calibration's, the stranger location
/// moves down by <c>lambda (sqrt(u_gallery) - sqrt(u_calibration))</c>, <c>lambda = P / (P + 45)</c> with P the
/// gallery's person pairs (a gallery of 10 persons weighs as much as the calibration). The shift only ever makes the
/// rule stricter: a gallery that looks roomier than the calibration is not trusted to mean roomier strangers.</item>
/// <item>Confidence: Bayes over "stranger" (prior pi0, <see cref="OpenSetOptions.StrangerPrior"/>) and "person k"
/// (prior (1 - pi0) / G each) with the likelihood ratio of the same-person density to the stranger density of D_k
/// (both t-shaped, <see cref="OpenSetModel"/>); persons the search did not return are taken as far (ratio 0).</item>
/// <item>Too close: when the second person also passes the bar and the first holds less than
/// <see cref="OpenSetOptions.MinimumLeadShare"/> of the two's probability, the answer is unknown.</item>
/// </list>
/// </remarks>
public sealed class OpenSetRule
{
    /// <summary>Person pairs at which the gallery's own crowding weighs as much as the calibration's (<c>lambda = P / (P + 45)</c>): 10 persons.</summary>
    public const double CrowdingPriorPairs = 45;

    // Below this adjusted distance the stranger density's Jacobian D/r is held (r = 0: as close as the centroid's own scatter).
    private const double MinimumAdjustedDistance = 1e-2;

    private readonly OpenSetModel _model;

    // Stranger quantiles by per-person rate and degrees of freedom: one per gallery size and operating point, costly to
    // find (bisection, about 100 CDF evaluations), shared by every rule so that a rule made per request costs nothing.
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<(double Rate, double Nu), double> Quantiles = new();

    /// <summary>A rule with a fitted model and the user's options (cheap: make one per request if the options vary).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The options are invalid (<see cref="OpenSetOptions.Validate"/>).</exception>
    public OpenSetRule(OpenSetModel? model = null, OpenSetOptions? options = null)
    {
        _model = model ?? OpenSetModel.Default;
        Options = options ?? OpenSetOptions.Default;
        Options.Validate();
    }

    /// <summary>The options in force.</summary>
    public OpenSetOptions Options { get; }

    /// <summary>The share of strangers each person may take: <c>1 - (1 - alpha)^(1/G)</c>.</summary>
    public static double PerPersonRate(double targetRate, int persons) => -double.ExpM1(double.LogP1(-targetRate) / Math.Max(1, persons));

    /// <summary>Decides one face at the operating point of <see cref="Options"/>.</summary>
    /// <param name="candidates">The persons nearest the probe by centroid distance (any order; the 5 to 10 nearest are plenty: farther persons hardly move the confidence).</param>
    /// <param name="gallery">The gallery's figures (<see cref="GallerySummary.Statistics"/>).</param>
    public OpenSetDecision Decide(ReadOnlySpan<PersonCandidate> candidates, GalleryStatistics gallery) =>
        Conclude(Assess(candidates, gallery), Options.TargetFalseAcceptRate);

    /// <summary>
    /// Weighs the candidates once (ranking, stranger tails, posterior), so that <see cref="Conclude"/> can decide at
    /// several operating points without weighing again.
    /// </summary>
    /// <param name="candidates">As for <see cref="Decide"/>.</param>
    /// <param name="gallery">As for <see cref="Decide"/>.</param>
    public OpenSetAssessment Assess(ReadOnlySpan<PersonCandidate> candidates, GalleryStatistics gallery)
    {
        var persons = Math.Max(gallery.PersonCount, candidates.Length);
        if (candidates.IsEmpty || persons == 0) return new OpenSetAssessment(0, 0, [], [], 1);
        var shift = CrowdingShift(gallery);
        var evidence = new Evidence[candidates.Length];
        for (var i = 0; i < candidates.Length; i++) evidence[i] = Weigh(candidates[i], shift);
        Array.Sort(evidence, (a, b) => a.Z != b.Z ? a.Z.CompareTo(b.Z) : a.Distance.CompareTo(b.Distance));
        var posterior = Posterior(evidence, persons, out var stranger);
        return new OpenSetAssessment(persons, shift, evidence, posterior, stranger);
    }

    /// <summary>The decision from an assessment at a target false-accept rate (the expert <see cref="OpenSetOptions.Threshold"/>, when set, wins).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The rate is outside (0, 1).</exception>
    public OpenSetDecision Conclude(OpenSetAssessment assessment, double targetRate)
    {
        if (!(targetRate > 0 && targetRate < 1)) throw new ArgumentOutOfRangeException(nameof(targetRate), targetRate, "the target false-accept rate must lie in (0, 1)");
        var evidence = assessment.Evidence;
        if (evidence.Length == 0) return new OpenSetDecision(null, float.PositiveInfinity, 1, OpenSetReason.NoOneEnrolled, 0, 1, []);
        var posterior = assessment.Posterior;
        var perPerson = PerPersonRate(targetRate, assessment.Persons);
        var best = evidence[0];
        var reason = !Passes(best, perPerson) ? OpenSetReason.NoEnrolledFaceCloseEnough
            : evidence.Length > 1 && Passes(evidence[1], perPerson) && posterior[0] / (posterior[0] + posterior[1]) < Options.MinimumLeadShare ? OpenSetReason.TwoPeopleTooCloseToTell
            : OpenSetReason.Named;

        var listed = assessment.Ranked(Options.Candidates);
        var named = reason == OpenSetReason.Named;
        return new OpenSetDecision(named ? best.PersonId : null, (float)best.Distance, named ? posterior[0] : assessment.StrangerProbability, reason,
            Bar(best, perPerson, assessment.Shift), assessment.StrangerProbability, listed);
    }

    /// <summary>How far down the crowding of this gallery moves the stranger location (0 or negative).</summary>
    private double CrowdingShift(GalleryStatistics gallery)
    {
        if (gallery.PersonCount < 2 || double.IsNaN(gallery.BetweenPersonMeanSquaredDistance)) return 0;
        var crowding = gallery.BetweenPersonMeanSquaredDistance - _model.WithinVariance * gallery.BetweenPersonMeanInverseFaces;
        if (crowding >= _model.StrangerMeanSquaredDistance) return 0;
        var weight = gallery.PersonPairs / (gallery.PersonPairs + CrowdingPriorPairs);
        return weight * (Math.Sqrt(Math.Max(0, crowding)) - Math.Sqrt(_model.StrangerMeanSquaredDistance));
    }

    private Evidence Weigh(PersonCandidate c, double shift)
    {
        var n = Math.Max(1, c.FaceCount);
        double distance = c.Distance;
        var w2 = _model.PersonSpread(n, c.Spread);
        var cls = OpenSetModel.FaceClass(n);
        double nu = _model.DegreesOfFreedom, scale = _model.StrangerScale[cls];
        var location = _model.StrangerLocation[cls] + shift;
        var z = (Adjusted(distance, w2, n) - location) / scale;
        // The likelihood ratio is read no closer than the person's typical own distance: nearer than their own photos
        // is no weaker evidence (both densities fade there, and their ratio would turn back up).
        var sigma = Math.Sqrt(w2 * (1 + 1.0 / n));
        var seen = Math.Max(distance, _model.GenuineLocation * sigma);
        var r = Adjusted(seen, w2, n);
        // Densities of D under each hypothesis, with their Jacobians dr/dD = D/r and dg/dD = 1/sigma.
        var logStranger = StudentT.LogPdf((r - location) / scale, nu) - Math.Log(scale) + Math.Log(seen / Math.Max(r, MinimumAdjustedDistance));
        var logSame = StudentT.LogPdf((seen / sigma - _model.GenuineLocation) / _model.GenuineScale, nu) - Math.Log(_model.GenuineScale * sigma);
        return new Evidence(c.PersonId, distance, n, w2, z, StudentT.Cdf(z, nu), logSame - logStranger);
    }

    /// <summary>r = sqrt(max(0, D² - w²/n)): the distance with the centroid's own scatter taken out.</summary>
    private static double Adjusted(double distance, double within, int faces) => Math.Sqrt(Math.Max(0, distance * distance - within / faces));

    private bool Passes(Evidence e, double perPerson) => Options.Threshold is { } t ? e.Distance < t : e.StrangerTail < perPerson;

    /// <summary>Posterior of each candidate being the face's person (in evidence order); <paramref name="stranger"/> gets the rest.</summary>
    private double[] Posterior(Evidence[] evidence, int persons, out double stranger)
    {
        var prior = Options.StrangerPrior;
        var logPerson = Math.Log((1 - prior) / persons);
        var top = Math.Log(prior);
        foreach (var e in evidence) top = Math.Max(top, logPerson + e.LogLikelihoodRatio);
        var weights = new double[evidence.Length];
        var total = Math.Exp(Math.Log(prior) - top);
        for (var i = 0; i < weights.Length; i++) total += weights[i] = Math.Exp(logPerson + evidence[i].LogLikelihoodRatio - top);
        for (var i = 0; i < weights.Length; i++) weights[i] /= total;
        stranger = Math.Exp(Math.Log(prior) - top) / total;
        return weights;
    }

    /// <summary>The distance under which <paramref name="e"/>'s person would have passed: the threshold, or the stranger quantile at the per-person rate mapped back to a distance.</summary>
    private float Bar(Evidence e, double perPerson, double shift)
    {
        if (Options.Threshold is { } t) return t;
        var cls = OpenSetModel.FaceClass(e.Faces);
        if (Quantiles.Count > 4096) Quantiles.Clear(); // a gallery that keeps growing asks for a new G each time
        var quantile = Quantiles.GetOrAdd((perPerson, _model.DegreesOfFreedom), key => StudentT.Quantile(key.Rate, key.Nu));
        var r = _model.StrangerLocation[cls] + shift + quantile * _model.StrangerScale[cls];
        return r <= 0 ? 0 : (float)Math.Sqrt(r * r + e.Within / e.Faces);
    }

    /// <param name="PersonId">The person.</param>
    /// <param name="Distance">D.</param>
    /// <param name="Faces">n.</param>
    /// <param name="Within">The person's w².</param>
    /// <param name="Z">Standardized stranger score (lower: closer than strangers come).</param>
    /// <param name="StrangerTail">P(a stranger comes this close to this person).</param>
    /// <param name="LogLikelihoodRatio">ln(same-person density / stranger density) at D.</param>
    internal readonly record struct Evidence(long PersonId, double Distance, int Faces, double Within, double Z, double StrangerTail, double LogLikelihoodRatio);
}

/// <summary>The candidates of one face weighed by <see cref="OpenSetRule.Assess"/>, ready to be concluded at any operating point.</summary>
public sealed class OpenSetAssessment
{
    internal OpenSetAssessment(int persons, double shift, OpenSetRule.Evidence[] evidence, double[] posterior, double strangerProbability)
    {
        Persons = persons;
        Shift = shift;
        Evidence = evidence;
        Posterior = posterior;
        StrangerProbability = strangerProbability;
    }

    /// <summary>Persons enrolled (G), as the rule counted them.</summary>
    public int Persons { get; }

    /// <summary>How far the gallery's crowding moved the stranger location (0 or negative).</summary>
    public double Shift { get; }

    /// <summary>Probability that the face belongs to nobody enrolled.</summary>
    public double StrangerProbability { get; }

    /// <summary>Probability that the face is this person's (0 for a person the search did not return).</summary>
    public double ProbabilityOf(long personId)
    {
        for (var i = 0; i < Evidence.Length; i++)
            if (Evidence[i].PersonId == personId) return Posterior[i];
        return 0;
    }

    /// <summary>The <paramref name="count"/> most probable persons, best first, with their distance and probability.</summary>
    public IReadOnlyList<ScoredCandidate> Ranked(int count)
    {
        var listed = new ScoredCandidate[Math.Clamp(count, 0, Evidence.Length)];
        for (var i = 0; i < listed.Length; i++) listed[i] = new ScoredCandidate(Evidence[i].PersonId, (float)Evidence[i].Distance, Posterior[i]);
        return listed;
    }

    internal OpenSetRule.Evidence[] Evidence { get; }

    internal double[] Posterior { get; }
}
