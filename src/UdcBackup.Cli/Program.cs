using UdcBackup.Cli;

// The `udc` command: one binary for the controller, the agents and the operator CLI.
// Each command group lives in its own file under Commands/ and only parses and prints;
// the work is done by the libraries below it.
// SIGINT/SIGTERM are taken over before anything runs, so a stop signal always reaches the
// command as a cancellation (see TerminationSignals).
using var signals = TerminationSignals.Register(CliApp.StopTimeout);
return await CliApp.RunAsync(args, Console.Out, Console.Error, signals.Token);
