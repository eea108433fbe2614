using UdcBackup.Testing;
using UdcBackup.Testing.Sites;

namespace UdcBackup.Server.Tests.Cli;

/// <summary>
/// <c>udc agent token create</c> for an id the applied site does not name (a typo, the likely
/// case once a site is applied) still issues the token, since enrolling before the site names the
/// system is a normal order, but says on stderr which ids the site has; an id the site names, or
/// no site at all, prints no note.
/// </summary>
public sealed class EnrollmentTokenSiteTests
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
        typo.ExitCode.Should().Be(0, typo.ToString());
        typo.Stdout.Should().Contain("identity:   disk:db-9");
        typo.Stderr.Should().Contain("db-9 is not a system of the applied site version 1 (app-1, db-1)");
        known.ExitCode.Should().Be(0, known.ToString());
        known.Stderr.Should().NotContain("note:");
        media.Stderr.Should().Contain($"media-9 is not a media agent of the applied site version 1 ({SampleSite.MediaAgent})");
    }
}
