namespace UdcBackup.Web.Tests.Infrastructure;

/// <summary>The web tests share one server and one browser (starting Chromium costs about a second).</summary>
[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<BrowserFixture>
{
    public const string Name = "browser";
}
