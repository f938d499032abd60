using System.CommandLine;
using Solvent.Cli.Commands;

// solvent: the command line of the Solvent margin engine (eval, bench, conform, node, replay).
var root = new RootCommand("Solvent — a deterministic, non-custodial margin engine");
root.Subcommands.Add(EvalCommand.Build());
root.Subcommands.Add(BenchCommand.Build());
root.Subcommands.Add(ConformCommand.Build());
root.Subcommands.Add(NodeCommand.Build());
root.Subcommands.Add(DevnetCommand.Build());
root.Subcommands.Add(ReplayCommand.Build());
root.Subcommands.Add(RepairCommand.Build());
root.Subcommands.Add(Eip712Command.Build());
root.Subcommands.Add(VerifyCommand.Build());
root.Subcommands.Add(SignCommand.Build());
root.Subcommands.Add(StressCommand.Build());
root.Subcommands.Add(IndexerCommand.Build());
return root.Parse(args).Invoke();
