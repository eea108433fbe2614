using System.CommandLine;
using Microsoft.AspNetCore.Builder;
using UdcBackup.Server;
using UdcBackup.Server.Configuration;
using UdcBackup.Server.Logging;
using UdcBackup.Server.Runtime;

namespace UdcBackup.Cli.Commands;

/// <summary>
/// <c>udc server --data DIR [--urls URLS]</c>: runs the controller until SIGINT/SIGTERM.
/// Settings are loaded and validated before anything starts; a bad one prints its name and
/// the fix on stderr and exits 2. A crash during start-up is logged to the data directory's
/// log file and exits 1.
/// </summary>
internal static class ServerCommand
{
    public static Command Create()
    {
        var data = new Option<string>("--data")
        {
            Description = "Data directory: the workflow store (workflows.db), logs/, diagnostics/ and the optional udc.json settings file.",
            Required = true,
            HelpName = "DIR",
        };
        var urls = new Option<string?>("--urls")
        {
            Description = $"Listen addresses separated by ';' (default {ServerSettings.DefaultUrls}, or Urls in udc.json, or UDC_URLS). Port 0 picks a free port.",
            HelpName = "URLS",
        };
        var command = new Command("server", "Run the controller (cell manager): HTTP API, durable workflow workers and schedules.");
        command.Options.Add(data);
        command.Options.Add(urls);
        command.SetAction((parse, cancellationToken) => RunAsync(parse.GetRequiredValue(data), parse.GetValue(urls), GlobalOptions.IsVerbose(parse), parse.InvocationConfiguration.Error, cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(string dataDirectory, string? urls, bool verbose, TextWriter error, CancellationToken cancellationToken)
    {
        ServerSettings settings;
        try
        {
            settings = ServerSettingsLoader.Load(dataDirectory, urls);
        }
        catch (InvalidSettingsException e)
        {
            await error.WriteLineAsync("udc server: invalid settings, not starting:");
            foreach (var problem in e.Problems)
            {
                await error.WriteLineAsync($"  {problem}");
            }

            return CliApp.BadInput;
        }

        await using var logger = ServerLogging.Create(settings.LogDirectory, settings.LogRetainedFiles, verbose);
        try
        {
            logger.Information("udc server starting on data directory {DataDirectory}", settings.DataDirectory);
            await using var app = ControllerApplication.Build(settings, logger);
            await Microsoft.Extensions.Hosting.HostingAbstractionsHostExtensions.RunAsync(app, cancellationToken);
            logger.Information("udc server stopped");
            return CliApp.Success;
        }
        catch (DataDirectoryInUseException e)
        {
            logger.Error("{Message}", e.Message);
            await error.WriteLineAsync($"udc server: {e.Message}");
            return CliApp.Failure;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            logger.Information("udc server stopped");
            return CliApp.Success;
        }
        catch (Exception e)
        {
            logger.Fatal(e, "udc server failed");
            return CliApp.Failure;
        }
    }
}
