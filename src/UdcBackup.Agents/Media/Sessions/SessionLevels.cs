namespace UdcBackup.Agents.Media.Sessions;

/// <summary>Backup levels of a session, as written on the wire and in the snapshot's <c>level</c> tag.</summary>
public static class SessionLevels
{
    public const string Full = "full";
    public const string Incremental = "incremental";

    public static bool IsKnown(string? level) => level is Full or Incremental;
}
