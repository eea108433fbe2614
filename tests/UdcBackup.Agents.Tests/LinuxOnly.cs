// These tests check POSIX file modes and run processes and Kestrel on Linux.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
