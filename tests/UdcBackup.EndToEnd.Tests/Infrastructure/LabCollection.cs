namespace UdcBackup.EndToEnd.Tests.Infrastructure;

/// <summary>The tests that share one <see cref="SiteLab"/> (they run one after another).</summary>
[CollectionDefinition(Name)]
public sealed class LabCollection : ICollectionFixture<SiteLab>
{
    public const string Name = "site lab";
}
