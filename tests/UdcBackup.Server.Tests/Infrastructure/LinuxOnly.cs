// The shared fixtures (UdcBackup.Testing) are Linux-only; so are these tests, which run the server as a process.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
