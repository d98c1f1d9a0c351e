namespace Visage.Alignment;

/// <summary>How the 150x150 chip for the recognition net is cut.</summary>
public enum AlignmentMode
{
    /// <summary>dlib's similarity-transform chip (rotation, scale), the convention the weights were trained with.</summary>
    Dlib,
    /// <summary>face-api.js's axis-aligned square crop, for parity with face-api.js.</summary>
    FaceApi,
}
