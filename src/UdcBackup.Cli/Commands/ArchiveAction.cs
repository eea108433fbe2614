using System.CommandLine;
using UdcBackup.Archive;
using UdcBackup.Cli.Client;

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
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            try
            {
                var repo = parse.GetValue(options.Repo);
                if (string.IsNullOrWhiteSpace(repo))
                {
                    throw new CliUsageException("give the repository folder with --repo DIR.");
                }

                var password = ReadPassword(parse.GetValue(options.PasswordFile));
                return await body(new ArchiveContext(parse, output, error, parse.GetValue(options.Json), repo, password, cancellationToken));
            }
            catch (CliUsageException e)
            {
                await error.WriteLineAsync($"udc: {e.Message}");
                return CliApp.BadInput;
            }
            catch (ArchiveException e)
            {
                await error.WriteLineAsync($"udc: {e.Message}");
                return e.Code == ArchiveErrorCode.InvalidArgument ? CliApp.BadInput : CliApp.Failure;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                await error.WriteLineAsync("udc: interrupted; the repository stays consistent and the next backup reuses what was uploaded");
                return CliApp.Failure;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
            {
                await error.WriteLineAsync($"udc: {e.Message}");
                return CliApp.Failure;
            }
        };

    private static string ReadPassword(string? passwordFile)
    {
        if (passwordFile is not null)
        {
            if (!File.Exists(passwordFile))
            {
                throw new CliUsageException($"password file '{passwordFile}' does not exist.");
            }

            var line = File.ReadLines(passwordFile).FirstOrDefault();
            return string.IsNullOrEmpty(line) ? throw new CliUsageException($"password file '{passwordFile}' is empty.") : line;
        }

        var fromEnvironment = Environment.GetEnvironmentVariable(ArchiveOptions.PasswordVariable);
        return string.IsNullOrEmpty(fromEnvironment)
            ? throw new CliUsageException($"no password: set {ArchiveOptions.PasswordVariable} or give --password-file FILE.")
            : fromEnvironment;
    }
}
