using System.CommandLine;
using UdcBackup.Agents.Disk;
using UdcBackup.Agents.Identity;
using UdcBackup.Agents.Media;

namespace UdcBackup.Cli.Commands;

/// <summary>
/// <c>udc agent enroll|disk|media</c>: the agent side. <c>enroll</c> obtains the agent's certificate
/// from the controller with a one-time token, after checking the controller's CA fingerprint;
/// <c>disk</c> and <c>media</c> run the agent services until SIGINT/SIGTERM. Exit codes: 0 success, 1 the
/// controller refused or the agent failed, 2 bad input (configuration, fingerprint format).
/// </summary>
internal static class AgentCommands
{
    public static Command Create()
    {
        var group = new Command("agent", "Disk and media agents: enroll with the controller, run the agent service.");
        group.Subcommands.Add(Enroll());
        group.Subcommands.Add(Disk());
        group.Subcommands.Add(Media());
        group.Subcommands.Add(AgentTokenCommands.Create());
        return group;
    }

    private static Command Enroll()
    {
        var server = new Option<string>("--server") { Description = "Controller enrollment URL, e.g. https://198.51.100.2:8443", Required = true, HelpName = "URL" };
        var token = new Option<string>("--token") { Description = "One-time enrollment token from the operator.", Required = true, HelpName = "TOKEN" };
        var ca = new Option<string>("--ca-sha256") { Description = "SHA-256 fingerprint of the controller's CA certificate (64 hex digits).", Required = true, HelpName = "HEX" };
        var folder = new Option<string>("--credentials") { Description = "Folder for the agent's key and certificates (created 0700).", Required = true, HelpName = "DIR" };
        var command = new Command("enroll", "Get this agent's certificate from the controller.");
        command.Options.Add(server);
        command.Options.Add(token);
        command.Options.Add(ca);
        command.Options.Add(folder);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            if (!Uri.TryCreate(parse.GetRequiredValue(server), UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttps)
            {
                await error.WriteLineAsync("udc agent enroll: --server must be an https:// URL");
                return CliApp.BadInput;
            }

            try
            {
                using var credentials = await EnrollmentClient.EnrollAsync(uri, parse.GetRequiredValue(token), parse.GetRequiredValue(ca), parse.GetRequiredValue(folder), cancellationToken: cancellationToken);
                await output.WriteLineAsync($"enrolled as {credentials.Identity}; credentials in {parse.GetRequiredValue(folder)}");
                return CliApp.Success;
            }
            catch (ArgumentException e)
            {
                await error.WriteLineAsync($"udc agent enroll: {Reason(e)}");
                return CliApp.BadInput;
            }
            catch (HttpRequestException e) when (e.HttpRequestError is HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError)
            {
                await error.WriteLineAsync($"udc agent enroll: cannot reach the controller's agent listener at {uri} ({e.Message}); --server is the address udc agent token create printed, and the controller must listen there (UDC_AGENTURLS).");
                return CliApp.Failure;
            }
            catch (Exception e) when (e is EnrollmentRefusedException or HttpRequestException or InvalidDataException)
            {
                await error.WriteLineAsync($"udc agent enroll: {e.Message}");
                return CliApp.Failure;
            }
        });
        return command;
    }

    // An ArgumentException's message ends in "(Parameter 'caSha256')", the code's name for what
    // the operator gave as an option or a file.
    private static string Reason(ArgumentException e) =>
        e.ParamName is { } name ? e.Message.Replace($" (Parameter '{name}')", string.Empty, StringComparison.Ordinal) : e.Message;

    private static Command Disk()
    {
        var config = new Option<string>("--config") { Description = "Disk agent configuration (JSON): listenAddress, port, credentialsFolder, scriptFolder, scriptTimeoutSeconds, auditLogPath.", Required = true, HelpName = "FILE" };
        var command = new Command("disk", "Run the disk agent service of this protected system.");
        command.Options.Add(config);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            DiskAgentHost host;
            try
            {
                host = await DiskAgentHost.StartAsync(DiskAgentOptions.Load(parse.GetRequiredValue(config)), cancellationToken: cancellationToken);
            }
            catch (ArgumentException e)
            {
                await error.WriteLineAsync($"udc agent disk: {Reason(e)}");
                return CliApp.BadInput;
            }
            catch (InvalidDataException e)
            {
                await error.WriteLineAsync($"udc agent disk: {e.Message}");
                return CliApp.Failure;
            }

            await using (host)
            {
                await output.WriteLineAsync($"disk agent {host.Credentials.Identity} listening on {host.Address}");
                try
                {
                    await Task.Delay(Timeout.Infinite, cancellationToken);
                }
                catch (OperationCanceledException)
                {
                    // SIGINT/SIGTERM: stop listening and exit cleanly.
                }
            }

            return CliApp.Success;
        });
        return command;
    }

    private static Command Media()
    {
        var config = new Option<string>("--config") { Description = "Media agent configuration (JSON): listenAddress, port, credentialsFolder, repositoryPath, repositoryPasswordFile, auditLogPath.", Required = true, HelpName = "FILE" };
        var command = new Command("media", "Run a media agent service that stores backups in an archive repository.");
        command.Options.Add(config);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            MediaAgentHost host;
            try
            {
                host = await MediaAgentHost.StartAsync(MediaAgentOptions.Load(parse.GetRequiredValue(config)), cancellationToken: cancellationToken);
            }
            catch (ArgumentException e)
            {
                await error.WriteLineAsync($"udc agent media: {Reason(e)}");
                return CliApp.BadInput;
            }
            catch (Exception e) when (e is InvalidDataException or UdcBackup.Archive.ArchiveException)
            {
                await error.WriteLineAsync($"udc agent media: {e.Message}");
                return CliApp.Failure;
            }

            await using (host)
            {
                await output.WriteLineAsync($"media agent {host.Credentials.Identity} listening on {host.Address}");
                try
                {
                    await Task.Delay(Timeout.Infinite, cancellationToken);
                }
                catch (OperationCanceledException)
                {
                    // SIGINT/SIGTERM: stop listening and exit cleanly.
                }
            }

            return CliApp.Success;
        });
        return command;
    }
}
