using Onnx;
using Visage.Detection;
using Visage.Embedding;
using Visage.Landmarks;
using Visage.Models;

namespace Visage;

/// <summary>Every network Visage converts, with the graph factory and converter version of each.</summary>
public static class NetGraphs
{
    /// <summary>One convertible network.</summary>
    /// <param name="Net">face-api.js name.</param>
    /// <param name="ConverterVersion">Version of the graph factory (part of the cache key).</param>
    /// <param name="Build">Writes the ONNX graph from the tfjs weights.</param>
    public sealed record Graph(string Net, int ConverterVersion, Func<TfjsWeights, ModelProto> Build);

    /// <summary>The five networks.</summary>
    public static IReadOnlyList<Graph> All { get; } =
    [
        new(SsdMobileNetV1Graph.NetName, SsdMobileNetV1Graph.ConverterVersion, SsdMobileNetV1Graph.Build),
        new(TinyFaceDetectorGraph.NetName, TinyFaceDetectorGraph.ConverterVersion, TinyFaceDetectorGraph.Build),
        new(FaceLandmark68Graph.FullNetName, FaceLandmark68Graph.ConverterVersion, FaceLandmark68Graph.BuildFull),
        new(FaceLandmark68Graph.TinyNetName, FaceLandmark68Graph.ConverterVersion, FaceLandmark68Graph.BuildTiny),
        new(FaceRecognitionGraph.NetName, FaceRecognitionGraph.ConverterVersion, FaceRecognitionGraph.Build),
    ];
}
