// These tests drive Linux network namespaces and nftables.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
