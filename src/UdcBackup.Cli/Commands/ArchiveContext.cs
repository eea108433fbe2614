using System.CommandLine;
using System.Text.Json;
using UdcBackup.Archive.Repository;

namespace UdcBackup.Cli.Commands;

/// <summary>What an archive command body needs: parse result, writers, <c>--json</c>, the repository path and password.</summary>
internal sealed record ArchiveContext(
    ParseResult Parse,
    TextWriter Output,
    TextWriter Error,
    bool Json,
    string RepositoryPath,
    string Password,
    CancellationToken CancellationToken)
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>The repository opened by <see cref="Open"/>, whose stage timings <c>--timings</c> prints.</summary>
    public ArchiveRepository? Opened { get; private set; }

    /// <summary>Whether <c>--timings</c> was given (then thread CPU time is measured per stage too).</summary>
    public bool Timings { get; init; }

    public ArchiveRepository Open()
    {
        Opened = ArchiveRepository.Open(RepositoryPath, Password);
        Opened.Timings.MeasureCpu = Timings;
        return Opened;
    }

    /// <summary>Whether a live progress display may be drawn (text mode on an interactive terminal).</summary>
    public bool ShowProgress => !Json && ReferenceEquals(Error, Console.Error) && !Console.IsErrorRedirected;

    public Task WriteJsonAsync<T>(T value) => Output.WriteLineAsync(JsonSerializer.Serialize(value, Indented));
}
