using System.CommandLine;
using Visage.Commands;

var root = new RootCommand("Visage: self-hosted face recognition (detect, embed, verify, enroll, recognize, serve)")
{
    DetectCommand.Create(),
    EmbedCommand.Create(),
    VerifyCommand.Create(),
    EnrollCommand.Create(),
    RecognizeCommand.Create(),
    PersonsCommand.Create(),
    ServeCommand.Create(),
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
return root.Parse(args).Invoke();
