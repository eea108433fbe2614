using System.CommandLine;
using UdcBackup.Cli.Commands;

// The `udc` command: one binary for the controller, the agents and the operator CLI.
// Each command group lives in its own file under Commands/ and only parses and prints;
// the work is done by the libraries below it.
var root = new RootCommand("UdcBackup: durable backup and restore across trust zones.");
foreach (var command in CommandGroups.All())
{
    root.Subcommands.Add(command);
}

return await root.Parse(args).InvokeAsync();
