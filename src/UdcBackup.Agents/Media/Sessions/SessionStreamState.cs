namespace UdcBackup.Agents.Media.Sessions;

/// <summary>What the media agent already holds from earlier attempts of one stream: the resume point.</summary>
public sealed record SessionStreamState(string Name, long HeldFiles, long HeldBytes);
