using UdcBackup.Firewall.Nftables;
using UdcBackup.Testing.Zones;

namespace UdcBackup.Firewall.Tests;

/// <summary>
/// The designated port between a protected system (disk agent) and the controller zone (media
/// agent) through a real nftables firewall in network namespaces.
/// </summary>
public sealed class NftablesWindowTests : ZoneTestBase
{
    [Fact]
    public async Task Port_is_closed_before_open_during_and_closed_after_the_window_and_the_rule_set_is_restored_byte_for_byte()
    {
        var firewall = ZoneFirewall();
        var before = await firewall.SnapshotAsync();
        var rawBefore = await Zones.Firewall.ExecAsync("nft", "list", "ruleset");

        (await ProtectedCanReachControllerAsync()).Should().BeFalse("the designated port is closed by default");

        var window = await firewall.OpenWindowAsync(ProtectedToController("job-1"));
        window.Tag.Should().Be("udc:job=job-1");
        (await ProtectedCanReachControllerAsync()).Should().BeTrue("the window admits the protected system");
        (await ProtectedCanReachControllerAsync(OtherPort)).Should().BeFalse("the window is for one port only");
        (await firewall.SnapshotAsync()).Compare(before).Identical.Should().BeFalse();

        await firewall.CloseWindowAsync(window);
        (await ProtectedCanReachControllerAsync()).Should().BeFalse("the window is closed again");

        var after = await firewall.SnapshotAsync();
        after.RuleSet.Should().Be(before.RuleSet);
        after.Compare(before).Identical.Should().BeTrue();
        after.Sha256.Should().Be(before.Sha256);
        (await Zones.Firewall.ExecAsync("nft", "list", "ruleset")).Should().Be(rawBefore, "even with counters the listing is unchanged");
    }

    [Fact]
    public async Task Window_admits_only_its_source_system()
    {
        var firewall = ZoneFirewall();
        var window = await firewall.OpenWindowAsync(
            new FirewallWindowRequest(Port, System.Net.IPAddress.Parse("203.0.113.9"), ZoneAddresses.Controller, "job-other-source"));

        (await ProtectedCanReachControllerAsync()).Should().BeFalse("the window names another source system");
        await firewall.CloseWindowAsync(window);
    }

    [Fact]
    public async Task Opening_twice_returns_the_same_rule_and_closing_twice_is_harmless()
    {
        var firewall = ZoneFirewall();
        var before = await firewall.SnapshotAsync();

        var first = await firewall.OpenWindowAsync(ProtectedToController("job-2"));
        var again = await firewall.OpenWindowAsync(ProtectedToController("job-2"));
        again.Should().Be(first);
        (await firewall.ListWindowsAsync()).Should().ContainSingle();

        await firewall.CloseWindowAsync(first);
        await firewall.CloseWindowAsync(first);
        (await firewall.SnapshotAsync()).Compare(before).Identical.Should().BeTrue();
    }

    [Fact]
    public async Task A_recovering_controller_finds_and_removes_windows_left_by_a_crash()
    {
        var before = await ZoneFirewall().SnapshotAsync();

        // The crashed controller opened two windows and lost the handles.
        await ZoneFirewall().OpenWindowAsync(ProtectedToController("crash-7"));
        await ZoneFirewall().OpenWindowAsync(ProtectedToController("crash-8", OtherPort));
        (await ProtectedCanReachControllerAsync()).Should().BeTrue();

        var recovering = ZoneFirewall();
        var leftovers = await recovering.ListWindowsAsync("udc:job=crash-");
        leftovers.Select(w => w.JobId).Should().BeEquivalentTo(["crash-7", "crash-8"]);
        leftovers.Single(w => w.JobId == "crash-7").Request.Should().Be(ProtectedToController("crash-7"));
        (await recovering.ListWindowsAsync("udc:job=crash-7")).Should().ContainSingle();

        foreach (var w in leftovers)
        {
            await recovering.CloseWindowAsync(w);
        }

        (await recovering.ListWindowsAsync()).Should().BeEmpty();
        (await ProtectedCanReachControllerAsync()).Should().BeFalse();
        (await recovering.SnapshotAsync()).Compare(before).Identical.Should().BeTrue();
    }

    [Fact]
    public async Task Foreign_rules_are_never_listed_or_changed_even_when_they_look_like_ours()
    {
        // A site rule that carries a tag like ours, in the site's own table.
        await Zones.Firewall.ExecAsync("nft", "add", "rule", "inet", "site", "forward", "ip", "saddr", "192.0.2.77", "accept", "comment", "\"udc:job=foreign\"");
        var siteBefore = await Zones.Firewall.ExecAsync("nft", "-s", "list", "table", "inet", "site");

        var firewall = ZoneFirewall();
        var window = await firewall.OpenWindowAsync(ProtectedToController("job-3"));
        (await firewall.ListWindowsAsync()).Select(w => w.JobId).Should().Equal("job-3");
        await firewall.CloseWindowAsync(window);
        await firewall.CloseWindowAsync(new FirewallWindow(firewall.Name, "udc:job=foreign", "2", null));

        var siteAfter = await Zones.Firewall.ExecAsync("nft", "-s", "list", "table", "inet", "site");
        siteAfter.Should().Be(siteBefore);
        siteAfter.Should().Contain("udc:job=foreign").And.Contain("site: blocked host");
    }

    [Fact]
    public async Task A_stale_handle_never_deletes_another_rule()
    {
        var firewall = ZoneFirewall();
        var a = await firewall.OpenWindowAsync(ProtectedToController("job-a"));
        var b = await firewall.OpenWindowAsync(ProtectedToController("job-b", OtherPort));

        // Window a's tag with b's handle: what a recorded handle looks like after the table was rebuilt.
        await firewall.CloseWindowAsync(a with { Handle = b.Handle });

        (await firewall.ListWindowsAsync()).Select(w => w.JobId).Should().BeEquivalentTo(["job-a", "job-b"]);
        await firewall.CloseWindowAsync(a);
        await firewall.CloseWindowAsync(b);
        (await firewall.ListWindowsAsync()).Should().BeEmpty();
    }

    [Fact]
    public async Task Install_is_idempotent_and_uninstall_removes_only_the_managed_table()
    {
        var firewall = ZoneFirewall();
        var before = await firewall.SnapshotAsync();
        await firewall.InstallAsync();
        (await firewall.SnapshotAsync()).Compare(before).Identical.Should().BeTrue();

        await firewall.UninstallAsync();
        var ruleset = (await firewall.SnapshotAsync()).RuleSet;
        ruleset.Should().NotContain("udcbackup").And.Contain("table inet site");
        (await ProtectedCanReachControllerAsync()).Should().BeTrue("without the managed chain nothing drops the port");
        (await firewall.ListWindowsAsync()).Should().BeEmpty();
        await firewall.CloseWindowAsync(new FirewallWindow(firewall.Name, "udc:job=gone", "5", null));
    }

    [Fact]
    public async Task Refuses_windows_it_cannot_guard()
    {
        var firewall = ZoneFirewall();
        var notDesignated = () => firewall.OpenWindowAsync(new FirewallWindowRequest(22, ZoneAddresses.Protected, ZoneAddresses.Controller, "job-4"));
        await notDesignated.Should().ThrowAsync<ArgumentException>().WithMessage("*not a designated port*");

        var options = Zones.FirewallOptions(Zones.Firewall);
        options.Table = "notinstalled";
        var uninstalled = new NftablesFirewall(options);
        var open = () => uninstalled.OpenWindowAsync(ProtectedToController("job-5"));
        await open.Should().ThrowAsync<FirewallException>().WithMessage("*does not exist; install the firewall policy first*");
    }

    [Fact]
    public async Task Nft_errors_are_reported_with_the_command_and_its_message()
    {
        var options = Zones.FirewallOptions(Zones.Firewall);
        options.CommandPrefix = ["ip", "netns", "exec", "udcz-no-such-namespace"];
        var broken = new NftablesFirewall(options);
        var snapshot = () => broken.SnapshotAsync();
        (await snapshot.Should().ThrowAsync<FirewallException>()).Which.Message
            .Should().Contain("udcz-no-such-namespace").And.Contain("could not list the rule set");
    }
}
