using UdcBackup.Cli.Client;

namespace UdcBackup.Server.Tests.Auth;

/// <summary>Where the CLI finds its token: --token, then UDC_TOKEN, then DATA/admin.token.</summary>
public sealed class ApiTokenLookupTests
{
    [Fact]
    public void The_option_wins_then_the_environment_then_the_data_directory_file()
    {
        var data = Directory.CreateTempSubdirectory("udc-token-lookup-");
        try
        {
            File.WriteAllText(Path.Combine(data.FullName, "admin.token"), "udc_from_file\n");
            var withEverything = new Dictionary<string, string> { ["UDC_TOKEN"] = "udc_from_env", ["UDC_DATA"] = data.FullName };
            var withData = new Dictionary<string, string> { ["UDC_DATA"] = data.FullName };

            ApiTokenLookup.Resolve("udc_from_option", withEverything.GetValueOrDefault).Should().Be("udc_from_option");
            ApiTokenLookup.Resolve(null, withEverything.GetValueOrDefault).Should().Be("udc_from_env");
            ApiTokenLookup.Resolve(null, withData.GetValueOrDefault).Should().Be("udc_from_file", "the file's trailing newline is not part of the token");
            ApiTokenLookup.Resolve(null, new Dictionary<string, string> { ["UDC_DATA"] = Path.Combine(data.FullName, "absent") }.GetValueOrDefault).Should().BeNull();
        }
        finally
        {
            data.Delete(recursive: true);
        }
    }
}
