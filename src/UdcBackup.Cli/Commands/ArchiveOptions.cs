using System.CommandLine;

namespace UdcBackup.Cli.Commands;

/// <summary>Options shared by every <c>udc archive</c> command (recursive on the group).</summary>
internal sealed class ArchiveOptions
{
    public const string PasswordVariable = "UDC_ARCHIVE_PASSWORD";

    public Option<string> Repo { get; } = new("--repo", "-r")
    {
        Description = "Repository folder.",
        HelpName = "DIR",
        Recursive = true,
    };

    public Option<string?> PasswordFile { get; } = new("--password-file")
    {
        Description = $"File whose first line is the repository password (default: the {PasswordVariable} environment variable).",
        HelpName = "FILE",
        Recursive = true,
    };

    public Option<bool> Json { get; } = new("--json")
    {
        Description = "Print machine-readable JSON on stdout instead of text.",
        Recursive = true,
    };

    public Option<bool> Timings { get; } = new("--timings")
    {
        Description = "Print on stderr where the time went (process start, key derivation, index load, each pipeline stage summed over threads).",
        Recursive = true,
    };

    public void AddTo(Command group)
    {
        group.Options.Add(Timings);
        group.Options.Add(Repo);
        group.Options.Add(PasswordFile);
        group.Options.Add(Json);
    }
}
