using System.Net;

namespace UdcBackup.Firewall.Tests;

public sealed class FirewallWindowRequestTests
{
    [Theory]
    [InlineData("job 1")]
    [InlineData("job\"; drop")]
    [InlineData("a/b")]
    [InlineData("")]
    [InlineData("job\n1")]
    public void Job_ids_that_could_escape_a_rule_comment_or_argument_are_refused(string jobId)
    {
        var create = () => new FirewallWindowRequest(5555, IPAddress.Loopback, IPAddress.Loopback, jobId);
        create.Should().Throw<ArgumentException>().WithMessage("*A-Z a-z 0-9*");
    }

    [Fact]
    public void Ports_and_address_families_are_checked()
    {
        var badPort = () => new FirewallWindowRequest(0, IPAddress.Loopback, IPAddress.Loopback, "j");
        badPort.Should().Throw<ArgumentOutOfRangeException>();
        var mixed = () => new FirewallWindowRequest(5555, IPAddress.Loopback, IPAddress.IPv6Loopback, "j");
        mixed.Should().Throw<ArgumentException>().WithMessage("*both be IPv4 or both IPv6*");
    }

    [Fact]
    public void Tags_parse_back_to_job_ids_and_prefixes_are_validated()
    {
        JobTag.For("backup-42.7").Should().Be("udc:job=backup-42.7");
        JobTag.TryParse("udc:job=backup-42.7").Should().Be("backup-42.7");
        JobTag.TryParse("site:job=x").Should().BeNull();
        var prefix = () => JobTag.ValidatePrefix("other:");
        prefix.Should().Throw<ArgumentException>();
        JobTag.ValidatePrefix("udc:job=");
    }
}
