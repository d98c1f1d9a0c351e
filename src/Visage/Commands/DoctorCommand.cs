using System.CommandLine;
using Visage.Cli;

namespace Visage.Commands;

/// <summary>
/// <c>visage doctor</c>: the machine as Visage sees it (CPU, instruction sets, the gallery scan's kernel, ONNX Runtime's
/// providers and kernels, threads), so that every figure can say where it came from.
/// </summary>
internal static class DoctorCommand
{
    public static Command Create()
    {
        var json = new Option<bool>("--json") { Description = "Print JSON" };
        var command = new Command("doctor", "The CPU, its instruction sets and the kernels Visage and ONNX Runtime chose on it") { json };
        command.SetAction(r => CommandRunner.Run(() =>
        {
            var facts = MachineFacts.Read();
            if (r.GetValue(json)) JsonOutput.Print(facts);
            else facts.WriteText(Console.Out);
            return ExitCodes.Ok;
        }));
        return command;
    }
}
