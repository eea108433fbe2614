using System.CommandLine;
using System.Globalization;
using UdcBackup.Archive;
using UdcBackup.Archive.Repository;
using UdcBackup.Cli.Client;
using UdcBackup.Cli.Output;

namespace UdcBackup.Cli.Commands;

/// <summary>
/// Runs an archive command body with the shared plumbing: resolves the repository and password
/// and maps every failure to a message on stderr and an exit code (see <see cref="ArchiveCommands"/>).
/// </summary>
internal static class ArchiveAction
{
    /// <summary>Exit code of a backup that completed but skipped unreadable files.</summary>
    public const int PartialBackup = 3;

    public static Func<ParseResult, CancellationToken, Task<int>> Create(ArchiveOptions options, Func<ArchiveContext, Task<int>> body) =>
        async (parse, cancellationToken) =>
        {
            var sinceProcessStart = DateTime.Now - System.Diagnostics.Process.GetCurrentProcess().StartTime;
            var actionClock = System.Diagnostics.Stopwatch.StartNew();
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            var json = parse.GetValue(options.Json);
            try
            {
                var repo = parse.GetValue(options.Repo);
                if (string.IsNullOrWhiteSpace(repo))
                {
                    throw new CliUsageException("give the repository folder with --repo DIR.");
                }

                var password = ReadPassword(parse.GetValue(options.PasswordFile));
                var context = new ArchiveContext(parse, output, error, json, repo, password, cancellationToken) { Timings = parse.GetValue(options.Timings) };
                var code = await body(context);
                if (parse.GetValue(options.Timings))
                {
                    await WriteTimingsAsync(error, sinceProcessStart, actionClock.Elapsed, context.Opened);
                }

                return code;
            }
            catch (CliUsageException e)
            {
                await error.WriteLineAsync($"udc: {e.Message}");
                return await CliProblem.WriteIfJsonAsync(json, output, CliProblem.BadInputType, "The input was refused; nothing was changed.", e.Message, CliApp.BadInput);
            }
            catch (ArchiveException e)
            {
                await error.WriteLineAsync($"udc: {e.Message}");
                // What the operator gave is wrong and nothing was changed: a wrong password, a --repo
                // that is no repository, 'init' on a folder that is not empty. Damaged data, a lock
                // or an I/O error is a failure of the operation itself (exit 1).
                var badInput = e.Code is ArchiveErrorCode.InvalidArgument or ArchiveErrorCode.AlreadyExists or ArchiveErrorCode.WrongPassword or ArchiveErrorCode.NotARepository;
                return await CliProblem.WriteIfJsonAsync(
                    json,
                    output,
                    badInput ? CliProblem.BadInputType : CliProblem.FailedType,
                    badInput ? "The input was refused; nothing was changed." : "The archive operation failed.",
                    e.Message,
                    badInput ? CliApp.BadInput : CliApp.Failure);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                const string Interrupted = "interrupted; the repository stays consistent and the next backup reuses what was uploaded";
                await error.WriteLineAsync($"udc: {Interrupted}");
                return await CliProblem.WriteIfJsonAsync(json, output, CliProblem.InterruptedType, "Interrupted.", Interrupted, CliApp.Failure);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
            {
                await error.WriteLineAsync($"udc: {e.Message}");
                return await CliProblem.WriteIfJsonAsync(json, output, CliProblem.FailedType, "The archive operation failed.", e.Message, CliApp.Failure);
            }
        };

    private static async Task WriteTimingsAsync(TextWriter error, TimeSpan startup, TimeSpan command, ArchiveRepository? repository)
    {
        await error.WriteLineAsync($"timings: process start to command {startup.TotalSeconds,8:0.000} s");
        await error.WriteLineAsync($"timings: command                  {command.TotalSeconds,8:0.000} s");
        await error.WriteLineAsync($"timings: garbage collections      {GC.GetTotalPauseDuration().TotalSeconds,8:0.000} s paused, {GC.CollectionCount(0)} gen0 / {GC.CollectionCount(1)} gen1 / {GC.CollectionCount(2)} gen2, {GC.GetTotalAllocatedBytes() >> 20} MiB allocated");
        foreach (var stage in repository?.Timings.Read() ?? [])
        {
            var cpu = stage.Cpu is { } measured ? measured.TotalSeconds.ToString("0.000 s", CultureInfo.InvariantCulture) : "-";
            await error.WriteLineAsync($"timings:   {stage.Stage,-34} {stage.Time.TotalSeconds,8:0.000} s wall {cpu,10} cpu  x{stage.Count}");
        }
    }

    private static string ReadPassword(string? passwordFile) => ReadSecret(passwordFile, "--password-file", ArchiveOptions.PasswordVariable);

    /// <summary>A password from the first line of <paramref name="file"/>, else from the environment variable.</summary>
    internal static string ReadSecret(string? file, string fileOption, string variable)
    {
        if (file is not null)
        {
            if (!File.Exists(file))
            {
                throw new CliUsageException($"password file '{file}' does not exist.");
            }

            var line = File.ReadLines(file).FirstOrDefault();
            return string.IsNullOrEmpty(line) ? throw new CliUsageException($"password file '{file}' is empty.") : line;
        }

        var fromEnvironment = Environment.GetEnvironmentVariable(variable);
        return string.IsNullOrEmpty(fromEnvironment)
            ? throw new CliUsageException($"no password: set {variable} or give {fileOption} FILE.")
            : fromEnvironment;
    }
}
