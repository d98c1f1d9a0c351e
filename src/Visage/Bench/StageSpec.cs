namespace Visage.Cli.Bench;

/// <summary>What one stage of the bench measures.</summary>
/// <param name="Name">Stage name, shared with the face-api.js peer.</param>
/// <param name="Unit">What one latency is of: <c>image</c>, <c>face</c> or <c>run</c>.</param>
/// <param name="Description">One line for the table.</param>
/// <param name="Net">For a network stage: the net whose multiply-adds it runs, else null.</param>
/// <param name="NetInput">Input side of that net.</param>
/// <param name="NeedsFaces">Only images with at least one face are used.</param>
/// <param name="Peer">The peer runs the same stage.</param>
/// <param name="PeerStage">
/// The peer's stage this one is timed against when it has none of its own: Visage's defaults against face-api.js's
/// whole pipeline, in process and over HTTP.
/// </param>
public sealed record StageSpec(string Name, string Unit, string Description, string? Net = null, int NetInput = 0, bool NeedsFaces = false, bool Peer = false, string? PeerStage = null)
{
    /// <summary>Whether the peer is timed beside this stage.</summary>
    public bool HasPeer => Peer || PeerStage is not null;

    /// <summary>The peer's stage timed beside this one.</summary>
    public string PeerName => PeerStage ?? Name;

    /// <summary>Every stage, in the order they run.</summary>
    public static IReadOnlyList<StageSpec> All { get; } =
    [
        new("decode", "image", "JPEG/PNG bytes to RGB (peer: jpeg-js)", Peer: true),
        new("detect-ssd", "image", "SSD: pad, resize to 512, net, NMS", Peer: true),
        new("detect-tiny", "image", "Tiny detector at 416", Peer: true),
        new("landmarks", "face", "68 points, all faces of a photo in one batch (peer: one by one)", NeedsFaces: true, Peer: true),
        new("align", "face", "dlib similarity chip, 150x150", NeedsFaces: true),
        new("describe", "face", "descriptor of a face cut from the photo (crop, pad, resize, net), one face per run", NeedsFaces: true, Peer: true),
        new("embed-b1", "face", "descriptor of a ready chip, batch 1", "face_recognition_model", 150, NeedsFaces: true, Peer: true),
        new("embed-b8", "face", "descriptors of 8 chips in one batch, per face", "face_recognition_model", 150, NeedsFaces: true, Peer: true),
        new("analyze", "image", "full pipeline, Visage defaults (int8 SSD, dlib chip + flip: 2 int8 descriptors per face; peer: its pipeline)", PeerStage: "analyze-parity"),
        new("analyze-fp32", "image", "the same with --precision fp32 (every net fp32; peer: its pipeline)", PeerStage: "analyze-parity"),
        new("analyze-fp32-embedder", "image", "the same with the recognition net in fp32 (int8 SSD; peer: its pipeline)", PeerStage: "analyze-parity"),
        new("analyze-parity", "image", "full pipeline as face-api.js runs it (its crop, no flip)", Peer: true),
        new("recognize", "image", "decode + full pipeline + 1:N match in a 10k gallery"),
        new("recognize-640-ssd", "image", "the same on a 640x480 JPEG of one face (SSD): the service's work without HTTP", NeedsFaces: true),
        new("recognize-640-tiny", "image", "the same with the Tiny detector (a 640x480 frame: the whole and four tiles)", NeedsFaces: true),
        new("recognize-640-tiny-1pass", "image", "the same with the Tiny detector and --no-tiles (one detector pass)", NeedsFaces: true),
        new("http-640-ssd", "image", "POST /api/v1/recognize of that JPEG to visage serve on loopback (SSD), answer read", NeedsFaces: true),
        new("http-640-ssd-fp32", "image", "the same with --precision fp32", NeedsFaces: true),
        new("http-640-tiny", "image", "the same with the Tiny detector", NeedsFaces: true),
        new("http-640-tiny-1pass", "image", "the same with the Tiny detector and --no-tiles", NeedsFaces: true),
        new("http-analyze", "image", "POST /api/v1/embed of the photo file to visage serve (defaults), answer read (peer: jpeg-js decode + its pipeline)", PeerStage: "decode-analyze"),
        new("http-analyze-fp32", "image", "the same with --precision fp32", PeerStage: "decode-analyze"),
        new("http-analyze-fp32-embedder", "image", "the same with the recognition net in fp32 (int8 SSD)", PeerStage: "decode-analyze"),
        new("net-ssd", "run", "SSD net alone, 512x512", "ssd_mobilenetv1_model", 512, Peer: true),
        new("net-tiny", "run", "Tiny detector net alone, 416x416", "tiny_face_detector_model", 416),
        new("net-landmarks", "run", "landmark net alone, batch 1", "face_landmark_68_model", 112),
        new("net-recognition-b1", "face", "recognition net alone, batch 1", "face_recognition_model", 150, Peer: true),
        new("net-recognition-b8", "face", "recognition net alone, batch 8, per face", "face_recognition_model", 150),
        new("net-ssd-int8", "run", "SSD net alone, int8", "ssd_mobilenetv1_model", 512),
        new("net-tiny-int8", "run", "Tiny detector net alone, int8 (measured, not registered)", "tiny_face_detector_model", 416),
        new("net-recognition-b1-int8", "face", "recognition net alone, int8, batch 1", "face_recognition_model", 150),
        new("net-recognition-b8-int8", "face", "recognition net alone, int8, batch 8, per face", "face_recognition_model", 150),
    ];
}
