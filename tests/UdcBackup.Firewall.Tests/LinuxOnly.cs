// These tests drive Linux network namespaces, nftables and POSIX file modes.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
