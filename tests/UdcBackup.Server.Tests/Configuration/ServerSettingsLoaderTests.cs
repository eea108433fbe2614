using UdcBackup.Server.Configuration;

namespace UdcBackup.Server.Tests.Configuration;

public sealed class ServerSettingsLoaderTests : IDisposable
{
    private readonly DirectoryInfo _data = Directory.CreateTempSubdirectory("udc-settings-");

    public void Dispose() => _data.Delete(recursive: true);

    [Fact]
    public void Defaults_apply_when_nothing_is_configured()
    {
        var settings = ServerSettingsLoader.Load(_data.FullName, urls: null, environment: new Dictionary<string, string>());

        settings.Urls.Should().Be(ServerSettings.DefaultUrls);
        settings.DataDirectory.Should().Be(_data.FullName);
        settings.DatabasePath.Should().Be(Path.Combine(_data.FullName, "workflows.db"));
    }

    [Fact]
    public void Command_line_beats_environment_which_beats_the_settings_file()
    {
        File.WriteAllText(Path.Combine(_data.FullName, "udc.json"), """{ "Urls": "http://127.0.0.1:7001", "ShutdownTimeoutSeconds": 7, "Workers": { "ActivityConcurrency": 3 } }""");
        var environment = new Dictionary<string, string> { ["UDC_URLS"] = "http://127.0.0.1:7002", ["UDC_WORKERS__ACTIVITYCONCURRENCY"] = "5" };

        var fromEnvironment = ServerSettingsLoader.Load(_data.FullName, urls: null, environment);
        var fromCommandLine = ServerSettingsLoader.Load(_data.FullName, urls: "http://127.0.0.1:7003", environment);

        fromEnvironment.Urls.Should().Be("http://127.0.0.1:7002");
        fromEnvironment.Workers.ActivityConcurrency.Should().Be(5);
        fromEnvironment.ShutdownTimeoutSeconds.Should().Be(7, "the file's value stands where nothing overrides it");
        fromCommandLine.Urls.Should().Be("http://127.0.0.1:7003");
    }

    [Theory]
    [InlineData("ftp://127.0.0.1:21", "Urls")]
    [InlineData("http://127.0.0.1", "Urls")]
    [InlineData("not a url", "Urls")]
    public void A_bad_listen_address_is_rejected_by_name(string urls, string setting)
    {
        var load = () => ServerSettingsLoader.Load(_data.FullName, urls, new Dictionary<string, string>());

        load.Should().Throw<InvalidSettingsException>().Which.Problems.Should().ContainSingle().Which.Should().StartWith(setting + ":");
    }

    [Fact]
    public void Every_bad_setting_is_reported_at_once()
    {
        var environment = new Dictionary<string, string> { ["UDC_LOGRETAINEDFILES"] = "0", ["UDC_WORKERS__ACTIVITYCONCURRENCY"] = "-1" };

        var load = () => ServerSettingsLoader.Load(_data.FullName, null, environment);

        load.Should().Throw<InvalidSettingsException>().Which.Problems.Should().BeEquivalentTo(
            "LogRetainedFiles: must be between 1 and 365, was 0.",
            "Workers:ActivityConcurrency: must be between 1 and 1024, was -1.");
    }

    [Fact]
    public void A_value_of_the_wrong_type_names_its_key()
    {
        var environment = new Dictionary<string, string> { ["UDC_WORKERS__ACTIVITYCONCURRENCY"] = "many" };

        var load = () => ServerSettingsLoader.Load(_data.FullName, null, environment);

        load.Should().Throw<InvalidSettingsException>().WithMessage("*Workers:ActivityConcurrency*");
    }

    [Fact]
    public void A_malformed_settings_file_is_reported_with_its_path()
    {
        File.WriteAllText(Path.Combine(_data.FullName, "udc.json"), "{ \"Urls\": ");

        var load = () => ServerSettingsLoader.Load(_data.FullName, null, new Dictionary<string, string>());

        load.Should().Throw<InvalidSettingsException>().WithMessage("*udc.json: cannot be read*");
    }

    [Fact]
    public void A_data_directory_that_cannot_be_created_is_rejected()
    {
        var blocker = Path.Combine(_data.FullName, "a-file");
        File.WriteAllText(blocker, "not a directory");

        var load = () => ServerSettingsLoader.Load(Path.Combine(blocker, "data"), null, new Dictionary<string, string>());

        load.Should().Throw<InvalidSettingsException>().Which.Problems.Should().ContainSingle().Which.Should().StartWith("DataDirectory:");
    }

    [Fact]
    public void Script_environment_prefixes_default_to_the_disk_agents_and_come_from_the_file_or_the_environment()
    {
        ServerSettingsLoader.Load(_data.FullName, null, new Dictionary<string, string>()).ScriptEnvironmentRule().Prefixes.Should().Equal("UDC_", "PG");

        File.WriteAllText(Path.Combine(_data.FullName, "udc.json"), """{ "ScriptEnvironmentPrefixes": ["UDC_", "PG", "ORACLE_"] }""");
        ServerSettingsLoader.Load(_data.FullName, null, new Dictionary<string, string>()).ScriptEnvironmentRule().Prefixes.Should().Equal("UDC_", "PG", "ORACLE_");

        File.WriteAllText(Path.Combine(_data.FullName, "udc.json"), """{ "ScriptEnvironmentPrefixes": [] }""");
        ServerSettingsLoader.Load(_data.FullName, null, new Dictionary<string, string>()).ScriptEnvironmentRule().Prefixes.Should().BeEmpty("an empty list admits no variable, as for a disk agent");

        var environment = new Dictionary<string, string> { ["UDC_SCRIPTENVIRONMENTPREFIXES__0"] = "UDC_", ["UDC_SCRIPTENVIRONMENTPREFIXES__1"] = "SAP_" };
        ServerSettingsLoader.Load(_data.FullName, null, environment).ScriptEnvironmentRule().Prefixes.Should().Equal("UDC_", "SAP_");
    }

    [Theory]
    [InlineData("LD_", "ScriptEnvironmentPrefixes: script environment prefix 'LD_' would admit LD_, which the agent never lets a caller set.")]
    [InlineData("P", "ScriptEnvironmentPrefixes: script environment prefix 'P' would admit PATH, PERL5LIB, PERL5OPT, PERLLIB, PROMPT_COMMAND, PS4, PYTHONHOME, PYTHONINSPECT, PYTHONPATH, PYTHONSTARTUP, which the agent never lets a caller set.")]
    [InlineData("udc_", "ScriptEnvironmentPrefixes: script environment prefix 'udc_' must be 1-32 characters A-Z, 0-9 and _, not starting with a digit.")]
    public void A_script_environment_prefix_a_disk_agent_would_refuse_stops_the_controller_at_start(string prefix, string problem)
    {
        File.WriteAllText(Path.Combine(_data.FullName, "udc.json"), $$"""{ "ScriptEnvironmentPrefixes": ["UDC_", "{{prefix}}"] }""");

        var load = () => ServerSettingsLoader.Load(_data.FullName, null, new Dictionary<string, string>());

        load.Should().Throw<InvalidSettingsException>().Which.Problems.Should().Equal(problem);
    }
}
