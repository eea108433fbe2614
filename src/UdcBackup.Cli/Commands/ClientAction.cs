using System.CommandLine;
using Serilog;
using Serilog.Events;
using UdcBackup.Cli.Client;

namespace UdcBackup.Cli.Commands;

/// <summary>
/// Runs one client command's body with the shared plumbing: the controller client for
/// <c>--server</c> signed in with the token <see cref="ApiTokenLookup"/> finds, logging to the process's stderr (debug with <c>-v</c>; stdout stays clean for <c>--json</c>), and the mapping of every failure to
/// a message on stderr and an exit code (2 for rejected input, 1 for failures and an unreachable
/// controller). Command bodies therefore only build requests and print answers.
/// </summary>
internal static class ClientAction
{
    public static Func<ParseResult, CancellationToken, Task<int>> Create(ClientOptions options, Func<ClientContext, Task<int>> body) =>
        async (parse, cancellationToken) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            var json = parse.GetValue(options.Json);
            using var logger = new LoggerConfiguration()
                .MinimumLevel.Is(GlobalOptions.IsVerbose(parse) ? LogEventLevel.Debug : LogEventLevel.Warning)
                .WriteTo.Console(outputTemplate: "[{Level:u3}] {Message:lj}{NewLine}{Exception}", standardErrorFromLevel: LogEventLevel.Verbose)
                .CreateLogger();
            try
            {
                var token = ApiTokenLookup.Resolve(parse.GetValue(options.Token));
                using var client = new ControllerClient(ControllerClient.ParseServer(parse.GetValue(options.Server)!), logger, token: token);
                return await body(new ClientContext(parse, client, output, error, json, cancellationToken));
            }
            catch (CliUsageException e)
            {
                await error.WriteLineAsync($"udc: {e.Message}");
                return CliApp.BadInput;
            }
            catch (ControllerProblemException e)
            {
                if (json && e.RawBody.Length > 0)
                {
                    await output.WriteLineAsync(e.RawBody);
                }

                await error.WriteLineAsync($"udc: {e.Title}");
                if (!string.IsNullOrWhiteSpace(e.Detail))
                {
                    await error.WriteLineAsync($"  {e.Detail.ReplaceLineEndings(Environment.NewLine + "  ")}");
                }

                if (e.Status == System.Net.HttpStatusCode.Unauthorized)
                {
                    await error.WriteLineAsync($"  Sign in: udc login --server URL --user NAME (password on stdin) prints a token; pass it with --token or {ApiTokenLookup.TokenVariable}.");
                }

                return e.IsBadInput ? CliApp.BadInput : CliApp.Failure;
            }
            catch (ControllerUnreachableException e)
            {
                await error.WriteLineAsync($"udc: {e.Message}");
                return CliApp.Failure;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                await error.WriteLineAsync("udc: interrupted");
                return CliApp.Failure;
            }
        };
}
