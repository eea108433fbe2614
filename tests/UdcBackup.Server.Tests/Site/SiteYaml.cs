using UdcBackup.Testing.Sites;

namespace UdcBackup.Server.Tests.Site;

/// <summary>
/// The API tests' site: the shared <see cref="SampleSite"/> with its defaults (documentation
/// addresses and a firewall namespace that does not exist, so a started run keeps retrying to open
/// its window and stays running while the tests look at it).
/// </summary>
internal static class SiteYaml
{
    public const string FirstSystem = SampleSite.FirstSystem;
    public const string SecondSystem = SampleSite.SecondSystem;

    public static SampleSite Site { get; } = new();

    public static string Job => Site.Job;

    public static string Valid => Site.Yaml;
}
