namespace UdcBackup.Server.Tests.Site;

/// <summary>
/// <c>ScriptEnvironmentPrefixes</c> as a controller's environment: <see cref="Wide"/> admits the
/// <c>ACME_</c> variables the tests store, <see cref="Narrow"/> (a restart after a narrowing) refuses them.
/// </summary>
public static class PrefixSettings
{
    public static Dictionary<string, string> Wide => new()
    {
        ["UDC_SCRIPTENVIRONMENTPREFIXES__0"] = "UDC_",
        ["UDC_SCRIPTENVIRONMENTPREFIXES__1"] = "ACME_",
    };

    public static Dictionary<string, string> Narrow => new() { ["UDC_SCRIPTENVIRONMENTPREFIXES__0"] = "UDC_" };
}
