using System.CommandLine;

namespace UdcBackup.Cli.Commands;

/// <summary>
/// The options every command that talks to a controller shares: <c>--server URL</c> (default
/// <c>UDC_SERVER</c>, then http://127.0.0.1:5080), <c>--token</c> (else <c>UDC_TOKEN</c>, else
/// <c>DATA/admin.token</c>, see <see cref="Client.ApiTokenLookup"/>) and <c>--json</c>. One
/// instance per command group, added as recursive so each subcommand accepts them.
/// </summary>
internal sealed class ClientOptions
{
    /// <summary>The controller address used when neither <c>--server</c> nor <c>UDC_SERVER</c> is set.</summary>
    public const string DefaultServer = "http://127.0.0.1:5080";

    public ClientOptions()
    {
        Server = new Option<string>("--server")
        {
            Description = $"Controller address (default: UDC_SERVER, else {DefaultServer}).",
            HelpName = "URL",
            Recursive = true,
            DefaultValueFactory = _ => Environment.GetEnvironmentVariable("UDC_SERVER") is { Length: > 0 } fromEnvironment ? fromEnvironment : DefaultServer,
        };
        Token = new Option<string?>("--token")
        {
            Description = "API token to sign in with (default: UDC_TOKEN, else the file admin.token in UDC_DATA or .data).",
            HelpName = "TOKEN",
            Recursive = true,
        };
        Json = new Option<bool>("--json")
        {
            Description = "Print the controller's answer as JSON (for scripts) instead of tables.",
            Recursive = true,
        };
    }

    public Option<string> Server { get; }

    public Option<string?> Token { get; }

    public Option<bool> Json { get; }

    /// <summary>Adds the options to a command group.</summary>
    public void AddTo(Command group)
    {
        group.Options.Add(Server);
        group.Options.Add(Token);
        group.Options.Add(Json);
    }
}
