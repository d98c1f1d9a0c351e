using Visage.Faces;

namespace Visage.Gallery.Storage;

/// <summary>
/// A descriptor rejected for a person: a face that was named as that person and was not them ("that was not me").
/// Deleted with the person. The decision uses it to veto the person for probes nearer to it than to the person's own
/// faces (see <c>Recognition.RejectionVeto</c>).
/// </summary>
/// <param name="Id">Store-assigned id, never reused.</param>
/// <param name="PersonId">The person the face was wrongly given.</param>
/// <param name="Embedding">The rejected descriptor and its model.</param>
/// <param name="CreatedUtc">When it was rejected (UTC).</param>
public sealed record StoredRejection(long Id, long PersonId, FaceEmbedding Embedding, DateTime CreatedUtc);

/// <summary>Receives one stored rejection while a store streams them (the span is only valid during the call).</summary>
/// <param name="rejectionId">The rejection.</param>
/// <param name="personId">The person it vetoes.</param>
/// <param name="vector">The rejected descriptor; copy it to keep it.</param>
public delegate void RejectionVisitor(long rejectionId, long personId, ReadOnlySpan<float> vector);
