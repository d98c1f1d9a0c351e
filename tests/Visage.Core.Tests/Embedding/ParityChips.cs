using System.Text.Json;
using Visage.Alignment;
using Visage.Imaging;

namespace Visage.Tests.Embedding;

/// <summary>face-api.js's own 150x150 chips of the demo photos (../shared/reference/chips) with their records.</summary>
internal static class ParityChips
{
    /// <summary>Each chip's record in faceapi-chips.json (file, descriptor) and the chip as the embedder reads it.</summary>
    public static (List<JsonElement> Records, List<ChipSource> Chips) Load()
    {
        var records = TestData.ReferenceJson("faceapi-chips.json").GetProperty("chips").EnumerateArray().ToList();
        var decoder = new ImageDecoder();
        var chips = records.Select(c => ChipSource.Whole(decoder.DecodeFile(Path.Combine(TestData.Reference, "chips", c.GetProperty("file").GetString()!)))).ToList();
        return (records, chips);
    }
}
