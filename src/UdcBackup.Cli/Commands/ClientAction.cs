using System.CommandLine;
using Serilog;
using Serilog.Events;
using UdcBackup.Cli.Client;
using UdcBackup.Cli.Output;

namespace UdcBackup.Cli.Commands;

/// <summary>
/// Runs one client command's body with the shared plumbing: the controller client for
/// <c>--server</c> signed in with the token <see cref="ApiTokenLookup"/> finds, logging to the process's stderr (debug with <c>-v</c>; stdout stays clean for <c>--json</c>), and the mapping of every failure to
/// a message on stderr (and with <c>--json</c> a problem document on stdout, <see cref="CliProblem"/>) and an exit code (2 for rejected input, 1 for failures and an unreachable
/// controller). Command bodies therefore only build requests and print answers.
/// </summary>
internal static class ClientAction
{
    /// <param name="options">The group's client options.</param>
    /// <param name="body">The command's own work.</param>
    /// <param name="signsIn">True for <c>udc login</c>, whose 401 means a wrong user or password, not a missing or refused token.</param>
    public static Func<ParseResult, CancellationToken, Task<int>> Create(ClientOptions options, Func<ClientContext, Task<int>> body, bool signsIn = false) =>
        async (parse, cancellationToken) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            var json = parse.GetValue(options.Json);
            using var logger = new LoggerConfiguration()
                .MinimumLevel.Is(GlobalOptions.IsVerbose(parse) ? LogEventLevel.Debug : LogEventLevel.Warning)
                .WriteTo.Console(outputTemplate: "[{Level:u3}] {Message:lj}{NewLine}{Exception}", standardErrorFromLevel: LogEventLevel.Verbose)
                .CreateLogger();
            string? tokenSource = null;
            Uri? server = null;
            try
            {
                (var token, tokenSource) = ApiTokenLookup.Find(parse.GetValue(options.Token));
                server = ControllerClient.ParseServer(parse.GetValue(options.Server)!);
                using var client = new ControllerClient(server, logger, token: token);
                return await body(new ClientContext(parse, client, output, error, json, cancellationToken));
            }
            catch (CliUsageException e)
            {
                await error.WriteLineAsync($"udc: {e.Message}");
                return await CliProblem.WriteIfJsonAsync(json, output, CliProblem.BadInputType, "The input was refused; nothing was changed.", e.Message, CliApp.BadInput);
            }
            catch (ControllerProblemException e)
            {
                var code = e.IsBadInput ? CliApp.BadInput : CliApp.Failure;
                if (json && CliProblem.IsJsonObject(e.RawBody))
                {
                    await output.WriteLineAsync(e.RawBody);
                }
                else if (json)
                {
                    // A bare status (a refused token) or a proxy's page: still one document for the script.
                    await CliProblem.WriteAsync(output, CliProblem.ControllerErrorType, e.Title, e.Detail ?? (e.RawBody.Length > 0 ? e.RawBody : null), code, (int)e.Status);
                }

                await error.WriteLineAsync($"udc: {e.Title}");
                var refusedToken = e.Status == System.Net.HttpStatusCode.Unauthorized && !signsIn;
                if (refusedToken)
                {
                    // The controller's detail says the same for any client (and names its sign-in
                    // endpoint); the CLI knows where the token came from, so it says it once.
                    await error.WriteLineAsync(UnauthorizedHint(tokenSource));
                }
                else if (!CliProblem.IsJsonObject(e.RawBody))
                {
                    await error.WriteLineAsync(NotTheControllerHint(server, e));
                }
                else if (!string.IsNullOrWhiteSpace(e.Detail))
                {
                    await error.WriteLineAsync($"  {e.Detail.ReplaceLineEndings(Environment.NewLine + "  ")}");
                }

                return code;
            }
            catch (ControllerUnreachableException e)
            {
                await error.WriteLineAsync($"udc: {e.Message}");
                return await CliProblem.WriteIfJsonAsync(json, output, CliProblem.UnreachableType, "The controller cannot be reached.", e.Message, CliApp.Failure);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                await error.WriteLineAsync("udc: interrupted");
                return await CliProblem.WriteIfJsonAsync(json, output, CliProblem.InterruptedType, "Interrupted.", "The command was stopped by a signal before it finished.", CliApp.Failure);
            }
        };

    // The controller answers every error with a problem document; an answer without one comes
    // from something else at that address (another web service, a proxy in front of a stopped
    // controller), and its error page, printed whole, would bury the one line that matters.
    private static string NotTheControllerHint(Uri? server, ControllerProblemException e)
    {
        var firstLine = e.RawBody.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault();
        var answer = firstLine is null ? string.Empty : $" ('{(firstLine.Length > 80 ? firstLine[..80] + "..." : firstLine)}')";
        return $"  {server} answered HTTP {(int)e.Status} without the problem document the controller sends with every error{answer}: is something else listening there (another web service, a proxy in front of a stopped controller)? Set --server or UDC_SERVER to the controller's API address (its --urls; http://127.0.0.1:5080 by default).";
    }

    // Which token was refused matters: a stale DATA/admin.token or a forgotten UDC_TOKEN is sent
    // without the operator typing it, and the controller cannot know where it came from.
    private static string UnauthorizedHint(string? tokenSource) =>
        tokenSource is null
            ? $"  No API token was sent: none given with --token or {ApiTokenLookup.TokenVariable}, and no {ApiTokenLookup.TokenFile()}. Sign in: udc login --server URL --user NAME (password on stdin) prints one."
            : $"  The API token sent came from {tokenSource}; the controller does not accept it (wrong, expired or revoked, or its user is disabled or deleted). Sign in again: udc login --server URL --user NAME (password on stdin) prints a new one for --token or {ApiTokenLookup.TokenVariable}.";
}
