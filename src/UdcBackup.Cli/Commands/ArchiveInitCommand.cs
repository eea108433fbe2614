using System.CommandLine;
using UdcBackup.Archive.Crypto;
using UdcBackup.Archive.Repository;

namespace UdcBackup.Cli.Commands;

/// <summary><c>udc archive init</c>: creates a repository in an empty or new folder.</summary>
internal static class ArchiveInitCommand
{
    public static Command Create(ArchiveOptions options)
    {
        var iterations = new Option<int>("--kdf-iterations")
        {
            Description = $"PBKDF2-SHA256 iterations for the password key (default {KeyFile.DefaultIterations}, at least {KeyFile.MinimumIterations}).",
            DefaultValueFactory = _ => KeyFile.DefaultIterations,
        };
        var command = new Command("init", "Create a new repository.") { iterations };
        command.SetAction(ArchiveAction.Create(options, async c =>
        {
            using var repository = ArchiveRepository.Init(c.RepositoryPath, c.Password, c.Parse.GetValue(iterations));
            if (c.Json)
            {
                await c.WriteJsonAsync(new { repository = repository.Root, id = repository.Config.Id, config = repository.Config });
            }
            else
            {
                await c.Output.WriteLineAsync($"created repository {repository.Config.Id[..8]} at {repository.Root}");
                await c.Output.WriteLineAsync("keep the password safe: without it the data cannot be read");
            }

            return CliApp.Success;
        }));
        return command;
    }
}
