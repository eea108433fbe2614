namespace UdcBackup.Workflows.Tests.Support;

/// <summary>Tests that share the zones (and so run one at a time).</summary>
[CollectionDefinition(Name)]
public sealed class ZonesCollection : ICollectionFixture<ZonesFixture>
{
    public const string Name = "zones";
}
