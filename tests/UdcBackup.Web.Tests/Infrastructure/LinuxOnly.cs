// The tests start the controller through the shared fixture, which runs only on Linux (POSIX file modes, /usr/bin/chromium).
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
