using System.CommandLine;
using Visage.Commands;

var root = new RootCommand("Visage: self-hosted face recognition (detect, embed, verify, enroll, recognize, serve)")
{
    DetectCommand.Create(),
    EmbedCommand.Create(),
    ModelsCommand.Create(),
    BenchCommand.Create(),
};
return root.Parse(args).Invoke();
