namespace UdcBackup.Agents.Disk;

/// <summary>A script request was refused before anything ran (bad name, missing or unsafe file, bad environment).</summary>
public sealed class ScriptRefusedException : Exception
{
    public ScriptRefusedException(string message)
        : base(message)
    {
    }
}
