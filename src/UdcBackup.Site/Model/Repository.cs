namespace UdcBackup.Site.Model;

/// <summary>An archive repository on a media agent, by name and local path.</summary>
public sealed record Repository(string Name, string Path);
