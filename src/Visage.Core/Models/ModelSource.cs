using Onnx;

namespace Visage.Models;

/// <summary>Where a network's ONNX graph comes from, pinned so that no other bytes are ever run.</summary>
public abstract record ModelSource
{
    /// <summary>A short description for <c>visage models info</c>.</summary>
    public abstract string Describe();
}

/// <summary>
/// face-api.js tfjs weights (pinned in <see cref="ModelCatalog"/>), converted to ONNX here by <paramref name="Build"/>;
/// the converted graph is cached under the net's name and <paramref name="ConverterVersion"/>.
/// </summary>
/// <param name="Net">The tfjs net and the hashes of its files.</param>
/// <param name="ConverterVersion">Version of the graph factory: part of the cache key, bumped when it changes.</param>
/// <param name="Build">Writes the ONNX graph from the weights.</param>
public sealed record TfjsSource(NetDefinition Net, int ConverterVersion, Func<TfjsWeights, ModelProto> Build) : ModelSource
{
    /// <inheritdoc />
    public override string Describe() => $"{ModelCatalog.PackageName}@{ModelCatalog.PackageVersion} {Net.Name}, converter v{ConverterVersion}";
}

/// <summary>A ready ONNX file on disk, used only when its SHA-256 is the pinned one.</summary>
/// <param name="Path">The file.</param>
/// <param name="Sha256">Its lower-case hex SHA-256.</param>
public sealed record OnnxFileSource(string Path, string Sha256) : ModelSource
{
    /// <inheritdoc />
    public override string Describe() => $"{Path} (sha256 {Sha256[..12]}...)";
}
