using UdcBackup.Cli;

// The `udc` command: one binary for the controller, the agents and the operator CLI.
// Each command group lives in its own file under Commands/ and only parses and prints;
// the work is done by the libraries below it.
return await CliApp.RunAsync(args, Console.Out, Console.Error);
