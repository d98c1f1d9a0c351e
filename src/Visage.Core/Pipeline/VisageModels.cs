using Visage.Detection;
using Visage.Embedding;
using Visage.Landmarks;
using Visage.Models;

namespace Visage.Pipeline;

/// <summary>The networks Visage ships with, under the names the options choose them by.</summary>
public static class VisageModels
{
    /// <summary>
    /// Detectors <c>ssd</c> and <c>tiny</c>, landmark nets <c>full</c> and <c>tiny</c>, and the embedder
    /// <c>face_recognition_model</c>: face-api.js's five networks; SSD and the embedder also as int8. (Tiny's int8 graph is not registered: it
    /// ran 2.5x slower than its fp32 one and moved its logits by up to 8; docs/BENCHMARKS.md, "int8 networks".) Extend it with <see cref="ModelRegistry.Add{TStage}"/>
    /// and pass the result to <see cref="FaceAnalyzer"/>.
    /// </summary>
    public static ModelRegistry Registry { get; } = new ModelRegistry()
        .Add<IFaceDetector>(SsdMobileNetV1Detector.DetectorName, SsdMobileNetV1Detector.Fp32, (m, d) => new SsdMobileNetV1Detector(m, d))
        .Add<IFaceDetector>(SsdMobileNetV1Detector.DetectorName, SsdMobileNetV1Detector.Int8, (m, d) => new SsdMobileNetV1Detector(m, d))
        .Add<IFaceDetector>(TinyFaceDetector.DetectorName, TinyFaceDetector.Fp32, (m, d) => new TinyFaceDetector(m, d))
        .Add(FaceLandmark68Net.FullName, FaceLandmark68Net.Full, (m, d) => new FaceLandmark68Net(m, d))
        .Add(FaceLandmark68Net.TinyName, FaceLandmark68Net.Tiny, (m, d) => new FaceLandmark68Net(m, d))
        .Add<IFaceEmbedder>(FaceRecognitionNet.EmbedderName, FaceRecognitionNet.Fp32, (m, d) => new FaceRecognitionNet(m, d))
        .Add<IFaceEmbedder>(FaceRecognitionNet.EmbedderName, FaceRecognitionNet.Int8, (m, d) => new FaceRecognitionNet(m, d));
}
