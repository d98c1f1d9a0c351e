using Visage.Alignment;
using Visage.Detection;
using Visage.Embedding;
using Visage.Gallery.Search;
using Visage.Gallery;
using Visage.Imaging;
using Visage.Landmarks;
using Visage.Models;
using Visage.Pipeline;
using Visage.Recognition;

namespace Visage.Cli.Bench;

/// <summary>Visage's side of every stage, on one model repository (so one thread setting).</summary>
public sealed class VisageStages : IDisposable
{
    private readonly ModelRepository _models;
    private readonly ImageDecoder _decoder = new();
    private readonly IFaceDetector _ssd;
    private readonly IFaceDetector _tiny;
    private readonly FaceLandmark68Net _landmarks;
    private readonly IFaceEmbedder _recognition;
    private readonly FaceAnalyzer _analyzer;
    private readonly FaceAnalyzer _parity;
    private readonly FaceAnalyzer _fp32;
    private readonly FaceAnalyzer _fp32Embedder;
    private readonly FaceAnalyzer _tinyAnalyzer;
    private readonly FaceAnalyzer _tinyOnePass;
    private readonly GalleryIndex _gallery;
    private readonly Dictionary<string, (OnnxNet Net, float[] Input, long[] Shape)> _nets = [];
    private readonly HttpStages _http;

    public VisageStages(ModelRepository models, GalleryIndex gallery, int httpWarmup)
    {
        _models = models;
        _ssd = VisageModels.Registry.Create<IFaceDetector>(SsdMobileNetV1Detector.DetectorName, models);
        _tiny = VisageModels.Registry.Create<IFaceDetector>(TinyFaceDetector.DetectorName, models);
        _landmarks = VisageModels.Registry.Create<FaceLandmark68Net>(FaceLandmark68Net.FullName, models);
        _recognition = VisageModels.Registry.Create<IFaceEmbedder>(FaceRecognitionNet.EmbedderName, models);
        _analyzer = new FaceAnalyzer(new FaceAnalyzerOptions(), models);
        _parity = new FaceAnalyzer(FaceAnalyzerOptions.FaceApiParity, models);
        _fp32 = new FaceAnalyzer(Fp32Options, models);
        _fp32Embedder = new FaceAnalyzer(Fp32EmbedderOptions, models);
        _tinyAnalyzer = new FaceAnalyzer(TinyOptions, models);
        _tinyOnePass = new FaceAnalyzer(TinyOnePassOptions, models);
        _gallery = gallery;
        _http = new HttpStages(models, httpWarmup);
    }

    /// <summary>The defaults with every network in fp32 (<c>--precision fp32</c>), as they were before int8 detectors.</summary>
    private static readonly FaceAnalyzerOptions Fp32Options = new() { Precision = ModelVariant.Fp32, Embedding = new EmbeddingOptions { Precision = ModelVariant.Fp32 } };

    /// <summary>The defaults with the recognition net in fp32: the defaults before the int8 recognition net.</summary>
    private static readonly FaceAnalyzerOptions Fp32EmbedderOptions = new() { Embedding = new EmbeddingOptions { Precision = ModelVariant.Fp32 } };

    private static readonly FaceAnalyzerOptions TinyOptions = new() { Detection = new DetectionOptions { Detector = TinyFaceDetector.DetectorName } };

    /// <summary>Tiny without tiles (<c>--no-tiles</c>): a 640x480 frame is one detector pass instead of five.</summary>
    private static readonly FaceAnalyzerOptions TinyOnePassOptions = TinyOptions with { Finder = new FaceFinderOptions { Tiles = false } };

    /// <summary>Runs one stage once on one image; returns how many units (images, faces or runs) it processed.</summary>
    public int Run(string stage, BenchImage image) => stage switch
    {
        "decode" => One(_decoder.Decode(image.Bytes)),
        "detect-ssd" => One(_ssd.Detect(image.Image, 0.5f)),
        "detect-tiny" => One(_tiny.Detect(image.Image, 0.5f)),
        "landmarks" => _landmarks.Detect(image.Image, image.Faces.Select(f => f.Box).ToList()).Count,
        "align" => image.Faces.Sum(f => DlibChip.Extract(image.Image, f.Landmarks!).Width > 0 ? 1 : 0),
        "describe" => Describe(image),
        "embed-b1" => _recognition.Describe([ChipSource.Whole(image.Chips[0])]).Length,
        "embed-b8" => _recognition.Describe(Enumerable.Range(0, 8).Select(i => ChipSource.Whole(image.Chips[i % image.Chips.Count])).ToList()).Length,
        "analyze" => One(_analyzer.Analyze(image.Image)),
        "analyze-fp32" => One(_fp32.Analyze(image.Image)),
        "analyze-fp32-embedder" => One(_fp32Embedder.Analyze(image.Image)),
        "analyze-parity" => One(_parity.Analyze(image.Image)),
        "recognize" => Recognize(_analyzer, image.Bytes),
        "recognize-640-ssd" => Recognize(_analyzer, image.Webcam),
        "recognize-640-tiny" => Recognize(_tinyAnalyzer, image.Webcam),
        "recognize-640-tiny-1pass" => Recognize(_tinyOnePass, image.Webcam),
        "http-640-ssd" => _http.Post(stage, new FaceAnalyzerOptions(), HttpStages.Recognize, image.Webcam),
        "http-640-ssd-fp32" => _http.Post(stage, Fp32Options, HttpStages.Recognize, image.Webcam),
        "http-640-tiny" => _http.Post(stage, TinyOptions, HttpStages.Recognize, image.Webcam),
        "http-640-tiny-1pass" => _http.Post(stage, TinyOnePassOptions, HttpStages.Recognize, image.Webcam),
        "http-analyze" => _http.Post(stage, new FaceAnalyzerOptions(), HttpStages.Embed, image.Bytes),
        "http-analyze-fp32" => _http.Post(stage, Fp32Options, HttpStages.Embed, image.Bytes),
        "http-analyze-fp32-embedder" => _http.Post(stage, Fp32EmbedderOptions, HttpStages.Embed, image.Bytes),
        "net-ssd" => Net(stage, SsdMobileNetV1Detector.Fp32, 1),
        "net-tiny" => Net(stage, TinyFaceDetector.Fp32, 1),
        "net-landmarks" => Net(stage, FaceLandmark68Net.Full, 1),
        "net-recognition-b1" => Net(stage, FaceRecognitionNet.Fp32, 1),
        "net-recognition-b8" => Net(stage, FaceRecognitionNet.Fp32, 8),
        "net-ssd-int8" => Net(stage, SsdMobileNetV1Detector.Int8, 1),
        "net-tiny-int8" => Net(stage, TinyFaceDetector.Int8, 1),
        "net-recognition-b1-int8" => Net(stage, FaceRecognitionNet.Int8, 1),
        "net-recognition-b8-int8" => Net(stage, FaceRecognitionNet.Int8, 8),
        _ => throw new ArgumentException($"unknown stage {stage}"),
    };

    private static int One<T>(T _) => 1;

    /// <summary>Each face's descriptor straight from the photo (one pass: crop, pad, resize, normalize), one run per face.</summary>
    private int Describe(BenchImage image)
    {
        foreach (var face in image.Faces)
        {
            var b = face.Box;
            _recognition.Describe([new ChipSource(image.Image, PixelRect.ClipFloor(b.X, b.Y, b.Width, b.Height, image.Image.Width, image.Image.Height))]);
        }
        return image.Faces.Count;
    }

    /// <summary>What recognizing a posted photo costs apart from HTTP: decode, analyze, match every face.</summary>
    private int Recognize(FaceAnalyzer analyzer, byte[] photo)
    {
        var analysis = analyzer.Analyze(_decoder.Decode(photo));
        foreach (var face in analysis.Faces)
            if (face.Embedding!.ModelId == _gallery.ModelId) Recognizer.Identify(_gallery, face.Embedding.Vector);
        return 1;
    }

    /// <summary>The net alone on a fixed random input (the content does not change the arithmetic).</summary>
    private int Net(string stage, ModelDescriptor model, int batch)
    {
        if (!_nets.TryGetValue(stage, out var entry))
        {
            var size = model.Input.Size;
            var input = new float[batch * 3 * size * size];
            var rng = new Random(1);
            for (var i = 0; i < input.Length; i++) input[i] = (float)(rng.NextDouble() * 2 - 1);
            entry = (_models.Get(model), input, [batch, 3, size, size]);
            _nets[stage] = entry;
        }
        entry.Net.Run(entry.Input, entry.Shape);
        return batch;
    }

    public void Dispose()
    {
        _analyzer.Dispose();
        _parity.Dispose();
        _fp32Embedder.Dispose();
        _tinyAnalyzer.Dispose();
        _http.Dispose();
    }
}
