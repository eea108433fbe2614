using UdcBackup.ScriptContract;
using UdcBackup.Site.Loading;

namespace UdcBackup.Site.Tests;

/// <summary>
/// A site names its scripts by the disk agent's own rule (<see cref="ScriptName"/>), so a site the
/// controller accepts never names a script the agent refuses to run.
/// </summary>
public sealed class ScriptNameTests
{
    [Theory]
    [InlineData(".pre-backup")]
    [InlineData("postgresql/.pre-backup")]
    [InlineData("-pre-backup")]
    [InlineData("_pre-backup")]
    [InlineData("postgresql//pre-backup")]
    [InlineData("/usr/bin/pre-backup")]
    [InlineData("postgresql/../pre-backup")]
    [InlineData("postgresql/pre backup")]
    public void A_script_name_the_agent_would_refuse_is_an_error_naming_the_rule(string name)
    {
        var result = SiteDefinitionLoader.Parse(SampleSite.With("preBackup: postgresql/pre-backup", $"preBackup: \"{name}\""), SampleSite.File);

        var error = result.Errors.Should().ContainSingle().Subject;
        error.Path.Should().Be("systems[0].scripts.preBackup");
        error.Message.Should().Contain($"'{name}'").And.Contain("each starting with a letter or digit");
        ScriptName.IsValid(name).Should().BeFalse();
    }

    [Fact]
    public void Segments_are_at_most_128_characters()
    {
        ScriptName.IsValid("postgresql/" + new string('a', 128)).Should().BeTrue();
        ScriptName.IsValid("postgresql/" + new string('a', 129)).Should().BeFalse();
        SiteDefinitionLoader.Parse(SampleSite.With("preBackup: postgresql/pre-backup", $"preBackup: postgresql/{new string('a', 129)}"), SampleSite.File)
            .Errors.Should().ContainSingle();
    }

    [Theory]
    [InlineData("pre-backup")]
    [InlineData("postgresql/pre-backup.sh")]
    [InlineData("9/a_b.c-d")]
    public void Names_of_letters_digits_dots_underscores_and_dashes_are_accepted(string name)
    {
        SiteDefinitionLoader.Parse(SampleSite.With("preBackup: postgresql/pre-backup", $"preBackup: {name}"), SampleSite.File)
            .Errors.Should().BeEmpty();
        ScriptName.IsValid(name).Should().BeTrue();
    }
}
