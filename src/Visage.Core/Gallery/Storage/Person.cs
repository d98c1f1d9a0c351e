namespace Visage.Gallery.Storage;

/// <summary>An enrolled person.</summary>
/// <param name="Id">Store-assigned id, never reused.</param>
/// <param name="Name">Unique name (compared exactly, case-sensitive).</param>
/// <param name="CreatedUtc">When the person was created (UTC).</param>
/// <param name="FaceCount">How many faces the person has, of every model.</param>
public sealed record Person(long Id, string Name, DateTime CreatedUtc, int FaceCount);
