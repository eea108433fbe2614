using UdcBackup.Testing;
using UdcBackup.Testing.Sites;

namespace UdcBackup.Server.Tests.Cli;

/// <summary>
/// Ids the applied site does not name, where the CLI cannot refuse them (enrolling before the site
/// names a system is a normal order; runs of a system taken out of the site are still listed by its
/// id) but a typo is the likely case: <c>udc agent token create</c> still issues the token and
/// <c>udc workflow list --system</c> still lists nothing with exit 0, each with a note on stderr
/// naming the site's ids. An id the site names, or no site at all, prints no note.
/// </summary>
public sealed class UnknownSiteIdNoteTests
{
    [Fact]
    public async Task A_token_for_an_id_the_applied_site_lacks_comes_with_a_note_naming_the_sites_ids()
    {
        await using var server = await ServerProcess.StartAsync();
        var beforeSite = await server.RunCliAsync("agent", "token", "create", "--system", "db-9", "--role", "disk");
        await new SampleSite().ApplyAsync(server);

        var typo = await server.RunCliAsync("agent", "token", "create", "--system", "db-9", "--role", "disk");
        var known = await server.RunCliAsync("agent", "token", "create", "--system", SampleSite.FirstSystem, "--role", "disk");
        var media = await server.RunCliAsync("agent", "token", "create", "--system", "media-9", "--role", "media");

        beforeSite.ExitCode.Should().Be(0, beforeSite.ToString());
        beforeSite.Stderr.Should().NotContain("note:", "with no site there is nothing to compare with");
        beforeSite.Stdout.Should().Contain("udc agent enroll --server https://CONTROLLER:AGENT-PORT --token", "this controller has no agent listener to name");
        typo.ExitCode.Should().Be(0, typo.ToString());
        typo.Stdout.Should().Contain("identity:   disk:db-9");
        typo.Stderr.Should().Contain("db-9 is not a system of the applied site version 1 (app-1, db-1)");
        known.ExitCode.Should().Be(0, known.ToString());
        known.Stderr.Should().NotContain("note:");
        media.Stderr.Should().Contain($"media-9 is not a media agent of the applied site version 1 ({SampleSite.MediaAgent})");

        var listTypo = await server.RunCliAsync("workflow", "list", "--system", "db-9");
        var listKnown = await server.RunCliAsync("workflow", "list", "--system", SampleSite.FirstSystem);
        listTypo.ExitCode.Should().Be(0, listTypo.ToString());
        listTypo.Stderr.Should().Contain("no runs concern 'db-9', which is not a system of the applied site (systems: ").And.Contain(SampleSite.FirstSystem).And.Contain(SampleSite.SecondSystem);
        listKnown.ExitCode.Should().Be(0, listKnown.ToString());
        listKnown.Stderr.Should().NotContain("no runs concern");
    }
}
