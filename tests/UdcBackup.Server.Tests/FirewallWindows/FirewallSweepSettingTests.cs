using UdcBackup.Server.Configuration;

namespace UdcBackup.Server.Tests.FirewallWindows;

/// <summary><c>FirewallSweepMinutes</c>: 5 by default, set in <c>udc.json</c> or the environment, refused by name out of 1..1440.</summary>
public sealed class FirewallSweepSettingTests : IDisposable
{
    private readonly DirectoryInfo _data = Directory.CreateTempSubdirectory("udc-sweep-settings-");

    public void Dispose() => _data.Delete(recursive: true);

    [Fact]
    public void The_sweep_runs_every_five_minutes_unless_configured()
    {
        File.WriteAllText(Path.Combine(_data.FullName, "udc.json"), """{ "FirewallSweepMinutes": 15 }""");

        ServerSettingsLoader.Load(Path.Combine(_data.FullName, "no-settings-file"), null, new Dictionary<string, string>()).FirewallSweepMinutes.Should().Be(5);
        ServerSettingsLoader.Load(_data.FullName, null, new Dictionary<string, string>()).FirewallSweepMinutes.Should().Be(15);
        ServerSettingsLoader.Load(_data.FullName, null, new Dictionary<string, string> { ["UDC_FIREWALLSWEEPMINUTES"] = "2" }).FirewallSweepMinutes.Should().Be(2);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("1441")]
    public void A_period_out_of_range_is_refused_by_name(string minutes)
    {
        var load = () => ServerSettingsLoader.Load(_data.FullName, null, new Dictionary<string, string> { ["UDC_FIREWALLSWEEPMINUTES"] = minutes });

        load.Should().Throw<InvalidSettingsException>().Which.Problems.Should().Equal($"FirewallSweepMinutes: must be between 1 and 1440, was {minutes}.");
    }
}
