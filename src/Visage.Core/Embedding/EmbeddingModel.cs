using Visage.Alignment;

namespace Visage.Embedding;

/// <summary>Names of embedding spaces. Vectors are only comparable within one id.</summary>
public static class EmbeddingModel
{
    /// <summary>
    /// Id of vectors made by the embedder network <paramref name="embedderId"/> (a <see cref="Models.ModelDescriptor.WeightsId"/>: both precisions share it)
    /// with an alignment and flip setting, e.g. <c>face_recognition_model@1.7.15/dlib+flip</c>.
    /// </summary>
    public static string Id(string embedderId, AlignmentMode alignment, bool flip) =>
        $"{embedderId}/{(alignment == AlignmentMode.Dlib ? "dlib" : "faceapi")}{(flip ? "+flip" : "")}";

    /// <summary>
    /// Id of vectors made by projecting <paramref name="baseModelId"/>'s descriptors through the head whose weights
    /// hash to <paramref name="headId"/>, e.g. <c>face_recognition_model@1.7.15/dlib+flip+head.3fa9c0d1e2b4</c>.
    /// </summary>
    public static string WithHead(string baseModelId, string headId) => $"{baseModelId}+head.{headId}";

    /// <summary>
    /// The id a descriptor's space has now, for ids written when a quantized embedder's vectors carried its variant
    /// (<c>face_recognition_model@1.7.15+int8/dlib+flip</c>, written by builds of issue 22 before both precisions
    /// shared one space): the variant taken out. Any other id is returned as it is.
    /// </summary>
    public static string WithoutVariant(string modelId)
    {
        var slash = modelId.IndexOf('/');
        var plus = slash < 0 ? -1 : modelId.LastIndexOf('+', slash);
        var at = plus < 0 ? -1 : modelId.LastIndexOf('@', plus);
        return at < 0 || !Enum.TryParse<Models.ModelVariant>(modelId[(plus + 1)..slash], ignoreCase: true, out _)
            ? modelId
            : modelId[..plus] + modelId[slash..];
    }

    /// <summary>Id of the embedder's descriptors of caller-supplied chips.</summary>
    public static string ChipId(string embedderId) => $"{embedderId}/chip";
}
