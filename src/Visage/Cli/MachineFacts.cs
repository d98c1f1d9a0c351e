using System.Runtime.InteropServices;
using Microsoft.ML.OnnxRuntime;
using Visage.Gallery.Search;
using Visage.Gallery;
using Visage.Hardware;

namespace Visage.Cli;

/// <summary>What <c>visage doctor</c> and the bench report about the machine.</summary>
public sealed record MachineFacts(
    string Cpu, int Cores, string Os, string Runtime, IReadOnlyList<string> InstructionSets,
    string ScanKernel, IReadOnlyList<string> SupportedScanKernels, string OnnxRuntime, IReadOnlyList<string> OnnxProviders,
    string MlasFloat32, string MlasInt8, bool ExactInt8Sums)
{
    /// <summary>
    /// Reads the facts. Asks ONNX Runtime for its version, which creates its environment: call it before any session
    /// only in a process that runs no networks (the bench calls it after them).
    /// </summary>
    public static MachineFacts Read()
    {
        var ort = OrtEnv.Instance();
        return new MachineFacts(
            CpuInfo.Model, Environment.ProcessorCount, RuntimeInformation.RuntimeIdentifier, $".NET {Environment.Version}",
            CpuInfo.InstructionSets, ScanKernels.Choice.Best.ToString(), [.. ScanKernels.Choice.Supported.Select(k => k.ToString())],
            ort.GetVersionString(), ort.GetAvailableProviders(), MlasKernels.Float32, MlasKernels.Int8, MlasKernels.Int8SumsSaturate);
    }

    /// <summary>Writes the facts as aligned lines.</summary>
    public void WriteText(TextWriter w)
    {
        w.WriteLine($"cpu            {Cpu}, {Cores} logical cores");
        w.WriteLine($"runtime        {Runtime} on {Os}");
        w.WriteLine($"instructions   {string.Join(' ', InstructionSets)}");
        w.WriteLine($"gallery scan   {ScanKernel} (runs here: {string.Join(", ", SupportedScanKernels)})");
        w.WriteLine($"onnxruntime    {OnnxRuntime}, providers {string.Join(", ", OnnxProviders)}");
        // Where the u8 x s8 kernel would clip its sums, the int8 networks run on the exact u8 x u8 one (InferenceOptions.ExactInt8Sums).
        w.WriteLine($"  MLAS kernels fp32 {MlasFloat32}, int8 {MlasInt8}{(ExactInt8Sums ? " with exact sums" : "")}");
    }
}
