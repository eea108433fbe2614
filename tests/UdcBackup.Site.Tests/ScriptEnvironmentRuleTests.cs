using System.Text.Json;
using UdcBackup.ScriptContract;
using UdcBackup.Site.Loading;

namespace UdcBackup.Site.Tests;

/// <summary>
/// The script environment rule on the shared case table (ScriptEnvironmentCases.json, which the
/// designer's TypeScript copy is tested against too), and the site files checked with it: whatever
/// a site file may set, a default-configured disk agent accepts, and a controller configured with
/// more prefixes accepts exactly those more.
/// </summary>
public class ScriptEnvironmentRuleTests
{
    private static readonly JsonElement Cases = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepositoryRoot.Path, "tests", "UdcBackup.Site.Tests", "ScriptEnvironmentCases.json"))).RootElement;

    private static ScriptEnvironmentRule RuleOf(JsonElement @case) =>
        @case.TryGetProperty("prefixes", out var prefixes) ? new ScriptEnvironmentRule(Strings(prefixes)) : ScriptEnvironmentRule.Default;

    private static List<string> Strings(JsonElement array) => array.EnumerateArray().Select(e => e.GetString()!).ToList();

    private static void Expect(string? answer, JsonElement expected, string what)
    {
        if (expected.ValueKind == JsonValueKind.Null)
        {
            answer.Should().BeNull(what);
        }
        else
        {
            answer.Should().Contain(expected.GetString(), what);
        }
    }

    [Fact]
    public void The_protected_lists_defaults_and_limits_are_the_tables()
    {
        ScriptEnvironmentRule.ProtectedNames.Should().Equal(Strings(Cases.GetProperty("protectedNames")));
        ScriptEnvironmentRule.ProtectedPrefixes.Should().Equal(Strings(Cases.GetProperty("protectedPrefixes")));
        ScriptEnvironmentRule.DefaultPrefixes.Should().Equal(Strings(Cases.GetProperty("defaultPrefixes")));
        ScriptEnvironmentRule.MaxNameLength.Should().Be(Cases.GetProperty("maxNameLength").GetInt32());
        ScriptEnvironmentRule.MaxValueBytes.Should().Be(Cases.GetProperty("maxValueBytes").GetInt32());
        ScriptEnvironmentRule.MaxEnvironmentBytes.Should().Be(Cases.GetProperty("maxEnvironmentBytes").GetInt32());
    }

    [Fact]
    public void Every_name_value_environment_and_prefix_case_of_the_table_gets_its_answer()
    {
        Cases.GetProperty("names").GetArrayLength().Should().BeGreaterThan(20);
        foreach (var c in Cases.GetProperty("names").EnumerateArray())
        {
            var name = c.GetProperty("name").GetString()!;
            Expect(RuleOf(c).NameRefusal(name), c.GetProperty("refusal"), $"name '{name}'");
            Expect(RuleOf(c).Refusal(name, "v"), c.GetProperty("refusal"), $"name '{name}' with a value");
        }

        foreach (var c in Cases.GetProperty("values").EnumerateArray())
        {
            var value = c.TryGetProperty("value", out var v) ? v.GetString()! : string.Concat(Enumerable.Repeat(c.GetProperty("repeat").GetString(), c.GetProperty("count").GetInt32()));
            Expect(RuleOf(c).Refusal(c.GetProperty("name").GetString(), value), c.GetProperty("refusal"), $"value case {c}");
        }

        foreach (var c in Cases.GetProperty("environments").EnumerateArray())
        {
            var environment = Enumerable.Range(0, c.GetProperty("variables").GetInt32())
                .ToDictionary(i => $"UDC_V{i}", _ => new string('a', c.GetProperty("valueBytes").GetInt32()));
            Expect(ScriptEnvironmentRule.Default.Refusal(environment), c.GetProperty("refusal"), $"environment case {c}");
        }

        foreach (var c in Cases.GetProperty("prefixes").EnumerateArray())
        {
            var prefix = c.GetProperty("prefix").GetString();
            Expect(ScriptEnvironmentRule.PrefixProblem(prefix), c.GetProperty("problem"), $"prefix '{prefix}'");
        }
    }

    [Fact]
    public void Text_that_has_no_utf8_form_and_a_rule_with_a_bad_prefix_are_refused()
    {
        // Not in the JSON table: JSON readers refuse a lone surrogate themselves.
        ScriptEnvironmentRule.Default.Refusal("UDC_X", "\ud800x").Should().Contain("not valid UTF-16 text");
        var build = () => new ScriptEnvironmentRule(["UDC_", "LD_"]);
        build.Should().Throw<ArgumentException>().WithMessage("*prefix 'LD_' would admit LD_*");
    }

    [Theory]
    [InlineData("UDCFOO", "only names starting with UDC_, PG may be set")]
    [InlineData("UDC", "only names starting with UDC_, PG may be set")]
    [InlineData("ORACLE_SID", "only names starting with UDC_, PG may be set")]
    [InlineData("UDC_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "at most 64 characters")]
    [InlineData("LD_PRELOAD", "changes what runs")]
    public void A_site_file_variable_a_default_agent_would_refuse_is_an_error_naming_it(string name, string reason)
    {
        var result = SiteDefinitionLoader.Parse(SampleSite.With("UDC_WAL_ARCHIVE: /var/lib/pg-archive", $"UDC_WAL_ARCHIVE: /var/lib/pg-archive, {name}: x"), SampleSite.File);

        var error = result.Errors.Should().ContainSingle().Subject;
        error.Path.Should().Be("systems[0].scripts.postBackup.env");
        error.Message.Should().Contain($"'{name}'").And.Contain(reason);
        error.Fix.Should().Contain("UDC_*, PG*");
        error.Line.Should().NotBeNull();
    }

    [Fact]
    public void Every_refused_variable_of_a_script_is_named_and_an_oversized_value_is_refused()
    {
        var result = SiteDefinitionLoader.Parse(SampleSite.With("UDC_WAL_ARCHIVE: /var/lib/pg-archive", $"UDC_WAL_ARCHIVE: {new string('a', 16385)}, PATH: /tmp, UDC_OK: x"), SampleSite.File);

        var error = result.Errors.Should().ContainSingle().Subject;
        error.Message.Should().Contain("'UDC_WAL_ARCHIVE'").And.Contain("16385 bytes").And.Contain("'PATH'").And.NotContain("UDC_OK");
    }

    [Fact]
    public void A_controller_configured_with_an_extra_prefix_accepts_its_names_and_still_refuses_protected_ones()
    {
        var oracle = new ScriptEnvironmentRule(["UDC_", "PG", "ORACLE_"]);
        var yaml = SampleSite.With("UDC_WAL_ARCHIVE: /var/lib/pg-archive", "UDC_WAL_ARCHIVE: /var/lib/pg-archive, ORACLE_SID: ORCL");

        SiteDefinitionLoader.Parse(yaml, SampleSite.File).IsValid.Should().BeFalse("a default-configured agent refuses ORACLE_SID");
        SiteDefinitionLoader.Parse(yaml, SampleSite.File, oracle).Errors.Should().BeEmpty();
        SiteDefinitionLoader.Parse(SampleSite.With("UDC_WAL_ARCHIVE: /var/lib/pg-archive", "LD_PRELOAD: /tmp/x.so"), SampleSite.File, oracle)
            .Errors.Should().ContainSingle().Which.Fix.Should().Contain("ORACLE_*");
    }
}
