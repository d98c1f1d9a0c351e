using Visage.Contracts;

namespace Visage.Serve.Frigate;

/// <summary>One face of a Frigate event's picture with who it is: the JSON of <c>visage/matches/NAME</c>.</summary>
/// <param name="Id">The Frigate event.</param>
/// <param name="Camera">Its camera.</param>
/// <param name="Time">When the picture was taken (the event's frame time, UTC).</param>
/// <param name="Name">The person, or null for a stranger.</param>
/// <param name="PersonId">Their id, or null.</param>
/// <param name="Confidence">The similarity on CompreFace's scale (0.5 at the decision threshold; what the sub label score says).</param>
/// <param name="Distance">The distance to the best candidate, or null for an empty gallery.</param>
/// <param name="Box">The face in the picture.</param>
/// <param name="Sighting">The sighting it was stored as, or null when the database was unavailable.</param>
/// <param name="Picture">snapshot (the event's) or latest (the camera's frame).</param>
/// <param name="Attempt">Which of the event's pictures this was (1 for the first).</param>
public sealed record FrigateMatch(string Id, string Camera, DateTime Time, string? Name, long? PersonId, double Confidence, float? Distance,
    BoxJson Box, long? Sighting, string Picture, int Attempt);

/// <summary>What one picture of an event gave: every face, and the best known one (posted as the sub label), the JSON of <c>visage/cameras/CAMERA</c>.</summary>
/// <param name="Id">The Frigate event.</param>
/// <param name="Camera">Its camera.</param>
/// <param name="Time">When the picture was taken (UTC).</param>
/// <param name="Name">The best known person's name, "unknown" when only strangers were seen.</param>
/// <param name="PersonId">The best known person, or null.</param>
/// <param name="Confidence">Their similarity, or null.</param>
/// <param name="Matches">Every face.</param>
/// <param name="SubLabelPosted">True when the name was posted to Frigate as the event's sub label.</param>
/// <param name="Milliseconds">From the message's arrival to the sub label posted (or to the decision, without one): Visage's share of the latency.</param>
public sealed record FrigateOutcome(string Id, string Camera, DateTime Time, string Name, long? PersonId, double? Confidence,
    IReadOnlyList<FrigateMatch> Matches, bool SubLabelPosted, double Milliseconds = 0)
{
    /// <summary>The best known face, or null when only strangers were seen.</summary>
    public FrigateMatch? Best => Matches.Where(m => m.PersonId is not null).MaxBy(m => m.Confidence);
}
