namespace UdcBackup.Server.Tests.Infrastructure;

/// <summary>One <c>udc server</c> child process shared by the tests of a class (each test uses its own ids).</summary>
public sealed class SharedServerFixture : IAsyncLifetime
{
    private ServerProcess? _server;

    public ServerProcess Server => _server ?? throw new InvalidOperationException("the server fixture is not started");

    /// <summary>The <c>--server</c> and <c>--token</c> arguments pointing the CLI at this server, signed in as <c>admin</c>.</summary>
    public string[] ServerArgs => ["--server", Server.BaseAddress.ToString(), "--token", Server.Token];

    public async Task InitializeAsync() => _server = await ServerProcess.StartAsync();

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
