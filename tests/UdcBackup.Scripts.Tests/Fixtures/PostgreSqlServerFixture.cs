namespace UdcBackup.Scripts.Tests.Fixtures;

/// <summary>One <see cref="PrivatePostgreSql"/> shared by the tests of a class (xunit class fixture).</summary>
public sealed class PostgreSqlServerFixture : IAsyncLifetime
{
    public PrivatePostgreSql Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await PrivatePostgreSql.StartAsync();

    public async Task DisposeAsync() => await Server.DisposeAsync();
}
