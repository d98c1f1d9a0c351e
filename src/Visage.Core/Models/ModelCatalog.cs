namespace Visage.Models;

/// <summary>
/// The pinned source of every network: the npm package, its integrity, and the SHA-256 of each file
/// Visage reads from its <c>model/</c> folder. A file whose hash differs is never used.
/// </summary>
public static class ModelCatalog
{
    /// <summary>npm package that ships the face-api.js weights (MIT).</summary>
    public const string PackageName = "@vladmandic/face-api";

    /// <summary>Pinned package version.</summary>
    public const string PackageVersion = "1.7.15";

    /// <summary>File name <c>npm pack</c> writes for the pinned version.</summary>
    public const string TarballName = "vladmandic-face-api-1.7.15.tgz";

    /// <summary>The npm registry's SHA-512 integrity of the tarball (Subresource Integrity format).</summary>
    public const string TarballIntegrity =
        "sha512-WDMmK3CfNLo8jylWqMoQgf4nIst3M0fzx1dnac96wv/dvMTN4DxC/Pq1DGtduDk1lktCamQ3MIDXFnvrdHTXDw==";

    /// <summary>The five networks Visage converts and runs.</summary>
    public static IReadOnlyList<NetDefinition> Nets { get; } =
    [
        new("ssd_mobilenetv1_model",
            "888f744dffbc84f5f060d1f8427d9742341943a2dfaaf9205d10029b7e7a2955",
            "2835640602d53718aa6ae9a42896327eaa21beefed056c218d32ca7d79e1e2f8"),
        new("tiny_face_detector_model",
            "5d1af4849ac48d5b985f4a9b16010c512353ddd6fcc63d50fd0bc9e9e64296e5",
            "b7503ce7df31039b1c43316a9b865cab6a70dd748cc602d3fa28b551503c3871"),
        new("face_landmark_68_model",
            "ca4886639f86e99b39fed0c155f81b63317225773bd9616716e887b0153389c9",
            "4611ef65c87d836d03d684b30eec4d195d8b219fa1dd58fc58945831c6b9299b"),
        new("face_landmark_68_tiny_model",
            "9a1a5dd19fd814fd5095c3cb58f8e0d3193b8c5b9a6715b30a69d559aea31ad4",
            "b98e9f2f7da76f8a6dda9741a36ed485b224b889d552de2b2c1bb16217f67bfc"),
        new("face_recognition_model",
            "cbaffa501b0b9275a12b63357a6843e7e30c054e1c9151e1a5f879b26e32986b",
            "b413e420d6840b2775fba32008db6f3cddb07d485967fb42cfcf379c16a8c589"),
    ];

    /// <summary>Looks a net up by its face-api.js name.</summary>
    /// <exception cref="ArgumentException">No such net in the catalog.</exception>
    public static NetDefinition Get(string name) =>
        Nets.FirstOrDefault(n => n.Name == name) ?? throw new ArgumentException($"unknown net '{name}'", nameof(name));
}

/// <summary>One tfjs network: its name and the pinned SHA-256 of its manifest and weights.</summary>
/// <param name="Name">face-api.js name, e.g. <c>ssd_mobilenetv1_model</c>.</param>
/// <param name="ManifestSha256">Lower-case hex SHA-256 of <c>NAME-weights_manifest.json</c>.</param>
/// <param name="WeightsSha256">Lower-case hex SHA-256 of <c>NAME.bin</c>.</param>
public sealed record NetDefinition(string Name, string ManifestSha256, string WeightsSha256)
{
    /// <summary>File name of the weights manifest.</summary>
    public string ManifestFile => $"{Name}-weights_manifest.json";

    /// <summary>File name of the concatenated weights.</summary>
    public string WeightsFile => $"{Name}.bin";
}
