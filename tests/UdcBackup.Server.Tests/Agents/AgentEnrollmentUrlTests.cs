using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using UdcBackup.Server.Agents;
using UdcBackup.Server.Configuration;

namespace UdcBackup.Server.Tests.Agents;

/// <summary>
/// The enroll address for each kind of agent listener: a named host is the controller's own word;
/// a listener on every address takes the host the operator reached the API by when an agent could
/// connect to it, and falls back to the CONTROLLER placeholder only when it could not.
/// </summary>
public sealed class AgentEnrollmentUrlTests
{
    [Theory]
    [InlineData("https://0.0.0.0:9443", "ctl.example.org:5080", "https://ctl.example.org:9443")]
    [InlineData("https://[::]:9443", "10.1.2.3:5080", "https://10.1.2.3:9443")]
    [InlineData("https://*:9443", "[fd00::7]:5080", "https://[fd00::7]:9443")]
    [InlineData("https://+:9443", "localhost:5080", "https://localhost:9443")]
    [InlineData("https://0.0.0.0:9443", "ctl.example.org", "https://ctl.example.org:9443")]
    public void A_listener_on_every_address_takes_the_host_the_api_was_reached_by(string agentUrls, string requestHost, string expected)
    {
        var address = AgentEnrollmentUrl.Of(Settings(agentUrls), new FakeServer(), new HostString(requestHost));

        address.Should().Be(new AgentEnrollmentAddress(expected, AgentEnrollmentAddress.FromRequest));
    }

    [Theory]
    [InlineData("0.0.0.0:5080")]
    [InlineData("[::]:5080")]
    [InlineData("")]
    public void A_listener_on_every_address_keeps_the_placeholder_when_the_request_names_no_connectable_host(string requestHost)
    {
        var address = AgentEnrollmentUrl.Of(Settings("https://0.0.0.0:9443"), new FakeServer(), new HostString(requestHost));

        address.Should().Be(new AgentEnrollmentAddress("https://CONTROLLER:9443", AgentEnrollmentAddress.Placeholder));
    }

    [Fact]
    public void A_listener_with_a_host_is_named_as_configured_whatever_host_the_request_used()
    {
        var address = AgentEnrollmentUrl.Of(Settings("https://agents.example.org:9443"), new FakeServer(), new HostString("other.example.org:5080"));

        address.Should().Be(new AgentEnrollmentAddress("https://agents.example.org:9443", AgentEnrollmentAddress.FromListener));
    }

    [Fact]
    public void A_wildcard_listener_on_port_0_gets_its_bound_port_and_the_request_host()
    {
        var address = AgentEnrollmentUrl.Of(Settings("https://0.0.0.0:0"), new FakeServer("http://127.0.0.1:5080", "https://0.0.0.0:41234"), new HostString("ctl.example.org:5080"));

        address.Should().Be(new AgentEnrollmentAddress("https://ctl.example.org:41234", AgentEnrollmentAddress.FromRequest));
    }

    [Fact]
    public void No_agent_listener_gives_no_address()
    {
        AgentEnrollmentUrl.Of(new ServerSettings { Urls = "http://127.0.0.1:5080" }, new FakeServer(), new HostString("ctl.example.org")).Should().BeNull();
    }

    private static ServerSettings Settings(string agentUrls) => new() { Urls = "http://127.0.0.1:5080", AgentUrls = agentUrls };

    private sealed class FakeServer : IServer
    {
        public FakeServer(params string[] addresses)
        {
            var feature = new ServerAddressesFeature();
            foreach (var address in addresses)
            {
                feature.Addresses.Add(address);
            }

            Features.Set<IServerAddressesFeature>(feature);
        }

        public IFeatureCollection Features { get; } = new FeatureCollection();

        public Task StartAsync<TContext>(IHttpApplication<TContext> application, CancellationToken cancellationToken)
            where TContext : notnull => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public void Dispose()
        {
        }
    }
}
