// These tests drive Linux network namespaces, nftables, tc and PostgreSQL processes.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]

// One laboratory (namespaces, agents, PostgreSQL) is shared by the tests, which run one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
