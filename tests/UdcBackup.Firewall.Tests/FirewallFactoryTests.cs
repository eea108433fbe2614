using UdcBackup.Firewall.Nftables;
using UdcBackup.Firewall.Templates;

namespace UdcBackup.Firewall.Tests;

public sealed class FirewallFactoryTests
{
    [Fact]
    public void Builds_the_configured_kind_and_names_what_is_missing()
    {
        FirewallFactory.Create(new FirewallConfiguration { Kind = "nftables", Nftables = new NftablesOptions { Name = "zone", DesignatedPorts = [5555] } })
            .Should().BeOfType<NftablesFirewall>().Which.Name.Should().Be("zone");
        FirewallFactory.Create(new FirewallConfiguration { Kind = "command", Command = new CommandTemplateOptions { Open = ["fw"], Close = ["fw"], List = ["fw"], Snapshot = ["fw"] } })
            .Should().BeOfType<CommandTemplateFirewall>();

        var missing = () => FirewallFactory.Create(new FirewallConfiguration { Kind = "command" });
        missing.Should().Throw<ArgumentException>().WithMessage("*needs a 'command' section*");
        var unknown = () => FirewallFactory.Create(new FirewallConfiguration { Kind = "iptables" });
        unknown.Should().Throw<ArgumentException>().WithMessage("*'iptables' is unknown*");
        var noPorts = () => FirewallFactory.Create(new FirewallConfiguration { Nftables = new NftablesOptions() });
        noPorts.Should().Throw<ArgumentException>().WithMessage("*designated port*");
        var badTable = () => FirewallFactory.Create(new FirewallConfiguration { Nftables = new NftablesOptions { Table = "a b", DesignatedPorts = [1] } });
        badTable.Should().Throw<ArgumentException>().WithMessage("*Table name 'a b'*");
    }
}
