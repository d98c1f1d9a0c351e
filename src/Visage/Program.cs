using System.CommandLine;
using Visage.Cli;
using Visage.Commands;

var serve = ServeCommand.Create();
var health = HealthCommand.Create();
var root = new RootCommand("Visage: self-hosted face recognition (detect, embed, verify, enroll, recognize, serve)")
{
    DetectCommand.Create(),
    EmbedCommand.Create(),
    VerifyCommand.Create(),
    EnrollCommand.Create(),
    RecognizeCommand.Create(),
    PersonsCommand.Create(),
    serve,
    health,
    KeysCommand.Create(),
    AuditCommand.Create(),
    ClusterCommand.Create(),
    TrainHeadCommand.Create(),
    GalleryCommand.Create(),
    EvalCommand.Create(),
    ModelsCommand.Create(),
    DoctorCommand.Create(),
    BenchCommand.Create(),
    WatchCommand.Create(),
};
// `serve` (and `health`, which finds it) also take their options from VISAGE_* variables and appsettings.json (docs/INSTALL.md, "Settings").
var parsed = CommandSettings.FromProcess().Parse(root, args, [serve, health], Console.Error);
if (parsed is null) return ExitCodes.Usage;
var exitCode = parsed.Invoke();
// The parser answers a bad option or argument (after printing it) with 1; the README's exit codes say 2, bad usage.
return parsed.Errors.Count > 0 ? ExitCodes.Usage : exitCode;
