namespace UdcBackup.Site.Model;

/// <summary>A trust zone: systems in it reach other zones only through the firewalls between them.</summary>
public sealed record Zone(string Name, ZoneTrust Trust);
