using System.CommandLine;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using UdcBackup.Archive.Repository;
using UdcBackup.Archive.Snapshots;

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
    // --json speaks camelCase, as the controller's answers and the CLI's problem lines do. The
    // archive's types name their fields for the on-disk format (snapshot manifests, the config:
    // 'files_read', 'chunk_min'); those names belong to the format, so the output names every
    // property after its member instead. Tag names, being dictionary keys, stay as given.
    private static readonly JsonSerializerOptions JsonOutput = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        TypeInfoResolver = new DefaultJsonTypeInfoResolver { Modifiers = { NameEveryPropertyByItsMember } },
    };

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

    public Task WriteJsonAsync<T>(T value) => Output.WriteLineAsync(JsonSerializer.Serialize(value, JsonOutput));

    /// <summary>
    /// One stderr line per snapshot manifest a listing or 'latest' left out because it cannot be
    /// read, so a damaged file neither hides every backup nor goes unnoticed.
    /// </summary>
    public async Task WarnDamagedAsync(IEnumerable<DamagedSnapshot> damaged)
    {
        foreach (var d in damaged)
        {
            await Error.WriteLineAsync($"warning: {d.Message}; it is left out here ('udc archive verify' reports it)");
        }
    }

    private static void NameEveryPropertyByItsMember(JsonTypeInfo type)
    {
        foreach (var property in type.Properties)
        {
            if (property.AttributeProvider is MemberInfo member)
            {
                property.Name = JsonNamingPolicy.CamelCase.ConvertName(member.Name);
            }
        }
    }
}
