using System.CommandLine;
using UdcBackup.Cli.Client;

namespace UdcBackup.Cli.Commands;

/// <summary>What a client command body needs: its parse result, the controller client, the writers and <c>--json</c>.</summary>
internal sealed record ClientContext(
    ParseResult Parse,
    ControllerClient Client,
    TextWriter Output,
    TextWriter Error,
    bool Json,
    CancellationToken CancellationToken);
