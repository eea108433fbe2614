namespace UdcBackup.Site.Model;

/// <summary>
/// The scripts of a system, by name in its disk agent's allowed script folder. Backups run
/// pre-backup and post-backup around the stream; restores run stop-programs and start-programs.
/// </summary>
public sealed record SystemScripts(ScriptCall? PreBackup, ScriptCall? PostBackup, ScriptCall? StopPrograms, ScriptCall? StartPrograms)
{
    public static SystemScripts None { get; } = new(null, null, null, null);
}
