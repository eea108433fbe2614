using UdcBackup.Site.Changes;
using UdcBackup.Site.Loading;

namespace UdcBackup.Site.Tests;

public class SiteChangesTests
{
    private static Model.SiteDefinition Load(string yaml) => SiteDefinitionLoader.Parse(yaml, SampleSite.File).Site!;

    [Fact]
    public void Everything_is_added_on_the_first_apply()
    {
        var changes = SiteChanges.Compare(null, Load(SampleSite.Yaml));

        changes.Should().HaveCount(3 + 2 + 1 + 3 + 1);
        changes.Should().OnlyContain(c => c.Kind == SiteChangeKind.Added);
    }

    [Fact]
    public void The_same_site_written_differently_changes_nothing()
    {
        var rewritten = SampleSite.With("      - { name: htdocs, paths: [/srv/www] }", "      - name: htdocs   # block style now\n        paths:\n          - \"/srv/www\"");

        SiteChanges.Compare(Load(SampleSite.Yaml), Load(rewritten)).Should().BeEmpty();
    }

    [Fact]
    public void A_changed_script_and_a_removed_system_are_reported_by_id()
    {
        var next = SampleSite.With("preBackup: postgresql/pre-backup", "preBackup: postgresql/pre-backup-v2")
            .Replace("systems: [db-1, app-1, web-1]", "systems: [db-1, app-1]", StringComparison.Ordinal);
        var start = next.IndexOf("  - id: web-1", StringComparison.Ordinal);
        next = next.Remove(start, next.IndexOf("jobs:", StringComparison.Ordinal) - start);

        SiteChanges.Compare(Load(SampleSite.Yaml), Load(next)).Select(c => c.ToString())
            .Should().Equal("changed system db-1", "removed system web-1", "changed job nightly");
    }
}
