namespace Visage.Cli.Tests.Bench;

/// <summary>Tests that start the face-api.js peer run one at a time (one npm install, one Node process at a time).</summary>
[CollectionDefinition(Name)]
public sealed class PeerCollection
{
    public const string Name = "face-api.js peer";
}
