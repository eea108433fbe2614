namespace UdcBackup.Site.Planning;

/// <summary>Why a script runs.</summary>
public enum ScriptRole
{
    PreBackup,
    PostBackup,
    StopPrograms,
    StartPrograms,
}
